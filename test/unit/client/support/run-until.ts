import type { VirtualClock } from '../../../../shared/domain/clock.js';
import type { QuorumClient } from '../../../../src-main/client/client.js';

/**
 * Moves the virtual clock to `target`, stopping at each of the agent's attempts and waiting for
 * it to finish (its I/O is real and asynchronous). Bounded: at most `maxSteps` attempts.
 */
export async function runUntil(
  clock: VirtualClock,
  client: QuorumClient,
  target: number,
  maxSteps = 5000,
): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    const next = client.nextAttemptAt;
    if (next === null || next > target) break;
    clock.advanceTo(next);
    await client.whenIdle();
  }
  if (client.nextAttemptAt !== null && client.nextAttemptAt <= target)
    throw new Error(`runUntil: more than ${maxSteps} attempts`);
  clock.advanceTo(target);
}
