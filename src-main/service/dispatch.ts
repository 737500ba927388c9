/**
 * The one door into the service for both transports: checks the channel name, validates the input
 * against the contract's schema, runs the handler, and wraps the outcome so that errors cross the
 * boundary as values with a message a person can act on.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { INVOKE_CHANNELS, isInvokeChannel, type ConsoleContract } from '../../shared/ipc/contract.js';
import type { Wrapped } from '../../shared/ipc/views.js';

export async function dispatchInvoke(
  service: ConsoleContract,
  channel: unknown,
  input: unknown,
): Promise<Wrapped<unknown>> {
  if (!isInvokeChannel(channel)) {
    return {
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL', message: `Unknown channel ${JSON.stringify(channel)}.` },
    };
  }
  const parsed = INVOKE_CHANNELS[channel].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      error: {
        code: 'IPC_INVALID_INPUT',
        message: `Invalid input for ${channel}${where}: ${issue?.message ?? 'rejected'}.`,
      },
    };
  }
  try {
    const handler = service[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler.call(service, parsed.data) };
  } catch (e) {
    if (e instanceof QuorumError) return { ok: false, error: e.toJSON() };
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `The host could not answer ${channel}: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}
