/**
 * A tiny typed event emitter. The engine is pure and isomorphic in spirit, so it does not use
 * node:events; listeners are called synchronously, in subscription order.
 */
export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const set = (this.#listeners[event] ??= new Set());
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners[event]?.delete(listener);
  }

  /** True when someone listens, so callers can skip building a payload nobody reads. */
  has<K extends keyof Events>(event: K): boolean {
    return (this.#listeners[event]?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners[event];
    if (!set) return;
    // A throwing listener must not break the request path or the other listeners.
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch {
        /* listeners own their errors */
      }
    }
  }
}
