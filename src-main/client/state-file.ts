/**
 * The client's state file: its CMID (random, created once), pinned host keys, the cached host and
 * each product's license record. Written atomically (temp file, fsync, rename) with mode 0600, so a
 * crash leaves either the old or the new file, never half of one. A damaged file is reported and
 * left in place: overwriting it would lose the CMID, and the host would count the machine twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { z } from 'zod';
import { QuorumError } from '../../shared/domain/errors.js';
import type { LicenseRecord } from './license-machine.js';

export const STATE_FILE_VERSION = 1;

export interface CachedHost {
  host: string;
  port: number;
  /** How it was found: "static", or the SRV query name it came from. Another configuration ignores it. */
  via?: string;
}

export interface ClientState {
  version: typeof STATE_FILE_VERSION;
  cmid: string;
  createdAt: number;
  /** Host key fingerprints pinned on first use, by "host:port". */
  pins: Record<string, string>;
  cachedHost: CachedHost | null;
  /** License records by product id. */
  licenses: Record<string, LicenseRecord>;
}

const time = z.number().int().nonnegative();
const interval = z.number().int().positive();
const attemptSchema = z.object({
  at: time,
  activated: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
  host: z.string().optional(),
  hostId: z.string().optional(),
  fingerprint: z.string().optional(),
  count: z.number().int().nonnegative().optional(),
  threshold: z.number().int().nonnegative().optional(),
});
const licenseSchema = z.object({
  productId: z.string().min(1),
  graceStartedAt: time,
  validUntil: time.nullable(),
  lastActivatedAt: time.nullable(),
  activationIntervalMin: interval,
  renewalIntervalMin: interval,
  intervalsFromHost: z.boolean(),
  lastAttempt: attemptSchema.nullable(),
  nextAttemptAt: time,
});
const stateSchema = z.object({
  version: z.literal(STATE_FILE_VERSION),
  cmid: z.uuid(),
  createdAt: time,
  pins: z.record(z.string(), z.string().min(1)),
  cachedHost: z
    .object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), via: z.string().optional() })
    .nullable(),
  licenses: z.record(z.string(), licenseSchema),
});

export function newClientState(now: number, cmid: string = randomUUID()): ClientState {
  return { version: STATE_FILE_VERSION, cmid, createdAt: now, pins: {}, cachedHost: null, licenses: {} };
}

/** Reads the state file; null when it does not exist yet. Throws CLIENT_STATE_DAMAGED when it cannot be used. */
export async function readClientState(file: string): Promise<ClientState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return null;
    throw new QuorumError(
      'CLIENT_STATE_UNREADABLE',
      `The client state file ${file} cannot be read (${code ?? String(e)}).`,
      'Check the file permissions, or pass another file with --state FILE.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(file, 'it is not valid JSON');
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw damaged(file, `${issue?.message ?? 'unexpected content'}${where}`);
  }
  // A hand-edited file may carry the CMID in capitals; the wire and the host's table use lower case.
  return { ...(parsed.data as ClientState), cmid: parsed.data.cmid.toLowerCase() };
}

function damaged(file: string, why: string): QuorumError {
  return new QuorumError(
    'CLIENT_STATE_DAMAGED',
    `The client state file ${file} is damaged (${why}); it was left untouched.`,
    'Repair it, or move it aside to start again with a new CMID (the host will then count this machine as a new client).',
  );
}

/** Writes the whole state atomically with mode 0600. */
export async function writeClientState(file: string, state: ClientState): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw new QuorumError(
      'CLIENT_STATE_UNWRITABLE',
      `The client state file ${file} cannot be written (${(e as { code?: string }).code ?? String(e)}).`,
      'Check that its folder is writable, or pass another file with --state FILE.',
    );
  }
}

/** Where a client keeps its state. The file is the default; the simulator can keep a fleet in memory. */
export interface ClientStateStore {
  /** A label for messages and `status` (the file path). */
  readonly location: string;
  read(): Promise<ClientState | null>;
  write(state: ClientState): Promise<void>;
}

export function fileStateStore(file: string): ClientStateStore {
  return { location: file, read: () => readClientState(file), write: (s) => writeClientState(file, s) };
}

/** Keeps a deep copy, so callers cannot change the stored state by accident. */
export function memoryStateStore(label = 'memory'): ClientStateStore {
  let stored: string | null = null;
  return {
    location: label,
    read: async () => (stored === null ? null : (JSON.parse(stored) as ClientState)),
    write: async (s) => {
      stored = JSON.stringify(s);
    },
  };
}
