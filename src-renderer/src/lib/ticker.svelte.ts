/** One clock for every relative time on the page ("8m ago"), so they tick together. */
const TICK_MS = 10_000;

export const ticker = $state({ now: Date.now() });

setInterval(() => (ticker.now = Date.now()), TICK_MS);
