/** A tiny typed emitter for the contract's event channels; the transports subscribe to it. */
import type { EventChannel, EventPayloads } from '../../shared/ipc/contract.js';

type Listener<C extends EventChannel> = (payload: EventPayloads[C]) => void;

export class ConsoleEvents {
  readonly #listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

  on<C extends EventChannel>(channel: C, listener: Listener<C>): () => void {
    let set = this.#listeners.get(channel);
    if (!set) this.#listeners.set(channel, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  emit<C extends EventChannel>(channel: C, payload: EventPayloads[C]): void {
    for (const l of this.#listeners.get(channel) ?? []) l(payload);
  }
}
