import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from '../../support/activated-host.js';

/** A stand-in for the built renderer: what the console server serves as static files. */
export function rendererDir(): string {
  const dir = tempDataDir('quorum-static-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Quorum</title>');
  return dir;
}
