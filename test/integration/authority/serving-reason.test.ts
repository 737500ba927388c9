// The one line a host that does not serve prints names its own data directory in the commands it
// suggests, so copying them acts on this installation and not on the default one.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { installKey, issueKey, servingState, startOfflineActivation } from '../../../src-main/authority/index.js';
import { openKeyDatabase } from '../../../src-main/authority/key-database.js';

let root: string;
const clock = new VirtualClock();
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quorum serving '));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function reason(dir: string): string {
  const db = openKeyDatabase(dir, clock);
  try {
    const gate = servingState(db);
    return gate.serving ? '' : gate.reason;
  } finally {
    db.close();
  }
}

it('names --data-dir in every suggested command when the host is not on the default directory', () => {
  const dir = join(root, 'host');
  const flag = `--data-dir ${JSON.stringify(dir)}`;
  expect(reason(dir)).toContain(`quorum key install KEY ${flag}, then quorum key activate ${flag}.`);
  installKey(dir, clock, issueKey(dir, clock, 'desktop', 3).text);
  expect(reason(dir)).toContain(`Run: quorum key activate ${flag} (or --offline).`);
  startOfflineActivation(dir, clock);
  expect(reason(dir)).toContain(`quorum key activate --confirmation CID ${flag}.`);
});

it('adds nothing for an in-memory database', () => {
  const db = new Database(':memory:');
  try {
    const gate = servingState(db);
    expect(gate.serving ? '' : gate.reason).not.toContain('--data-dir');
  } finally {
    db.close();
  }
});
