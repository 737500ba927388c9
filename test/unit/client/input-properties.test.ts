/** Whatever a person types or a disk holds, the client answers with a QuorumError, never a crash. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import { parseHostAddress } from '../../../src-main/dns/host-address.js';
import { newClientState, readClientState } from '../../../src-main/client/state-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-client-props-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('client input handling', () => {
  it('parses or refuses any --host text with CLIENT_BAD_ADDRESS', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[\w.:[\]-]{0,30}$/)), (text) => {
        let parsed: ReturnType<typeof parseHostAddress> | QuorumError;
        try {
          parsed = parseHostAddress(text, 1688, '--host');
        } catch (e) {
          expect(e).toBeInstanceOf(QuorumError);
          parsed = e as QuorumError;
        }
        if (parsed instanceof QuorumError) expect(parsed.code).toBe('CLIENT_BAD_ADDRESS');
        else {
          expect(parsed.port).toBeGreaterThanOrEqual(1);
          expect(parsed.port).toBeLessThanOrEqual(65535);
          expect(parsed.host.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500, seed: 6 },
    );
  });

  it('reads any damaged state file as CLIENT_STATE_DAMAGED', async () => {
    const valid = JSON.stringify(newClientState(0));
    const file = join(dir, 'state.json');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          // Cut or flip a valid file: the damage a crash or a disk could do.
          fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
          fc
            .tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
            .map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
        ),
        async (content) => {
          await writeFile(file, content);
          const state = await readClientState(file).catch((e: unknown) => e);
          if (state instanceof QuorumError) expect(state.code).toBe('CLIENT_STATE_DAMAGED');
          else expect((state as { cmid: string }).cmid).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
