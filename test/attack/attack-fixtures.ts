/**
 * Shared by the attack suite: each attack runs a small sample by default and its full size with
 * QUORUM_FULL=1 (`npm run test:attack`). The attacker speaks from 127.0.0.3 and the honest client
 * from 127.0.0.1: on Linux any 127.x.y.z source reaches a loopback listener.
 */
import { connect, type Socket } from 'node:net';

export const FULL = process.env.QUORUM_FULL === '1';
export const ATTACKER = '127.0.0.3';

/** The sample size by default, the full size under QUORUM_FULL=1. */
export function sized(sample: number, full: number): number {
  return FULL ? full : sample;
}

/**
 * Opens a connection from `from` and writes `first` (if any). Resolves with the socket, or null
 * when the host closed or refused it; never rejects.
 */
export function openFrom(port: number, from: string, first: Uint8Array | null): Promise<Socket | null> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: from });
    s.on('error', () => resolve(null));
    s.once('connect', () => {
      if (first) s.write(first);
      resolve(s);
    });
  });
}

/** Opens `n` connections from `from` in batches, each sending `first(i)`; returns those still open. */
export async function flood(
  port: number,
  from: string,
  n: number,
  first: (i: number) => Uint8Array | null,
  into: Socket[],
): Promise<void> {
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, k) => openFrom(port, from, first(i + k))),
    );
    for (const s of opened) if (s) into.push(s);
  }
}

/** Polls `cond` every 20 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** A co_cancel PDU: header only, what a client sends to cancel a call (and an idler to look busy). */
export function coCancelPdu(callId: number): Uint8Array {
  const pdu = new Uint8Array(16);
  pdu.set([5, 0, 18, 3, 0x10, 0, 0, 0, 16, 0, 0, 0]);
  new DataView(pdu.buffer).setUint32(12, callId, true);
  return pdu;
}
