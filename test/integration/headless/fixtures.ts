import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from '../../support/activated-host.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import {
  startConsoleServer,
  type ConsoleServer,
  type ConsoleServerOptions,
} from '../../../src-main/headless/console-server.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';

/** A stand-in for the built renderer: what the console server serves as static files. */
export function rendererDir(): string {
  const dir = tempDataDir('quorum-static-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Quorum</title>');
  return dir;
}

export const TEST_CONSOLE_TOKEN = 'test-token-0123456789abcdefghijklmnop';

/** The console service and server over `host`, as `quorum serve` starts them, on a free loopback port. */
export async function startConsoleFor(
  host: HostRuntime,
  options: Partial<ConsoleServerOptions> = {},
): Promise<{ service: ConsoleService; server: ConsoleServer }> {
  const service = createConsoleService(host);
  const server = await startConsoleServer({
    service: service.contract,
    events: service.events,
    staticDir: rendererDir(),
    token: TEST_CONSOLE_TOKEN,
    notReady: () => host.notReady(),
    ...options,
  });
  return { service, server };
}
