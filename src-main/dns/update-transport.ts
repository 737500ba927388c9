/**
 * How one DNS message reaches a server and its answer comes back (the check's SRV query uses the
 * UDP half with one try). An UPDATE goes over UDP, sent again once when no answer came (an answer
 * to either copy counts), then once over TCP, which every RFC 2136 server accepts and which
 * cannot lose the answer. The caller is told whether the server may have received the message
 * more than once: an update applied by the first copy fails its own prerequisites when applied
 * again, and only the caller knows how to tell that apart from a real conflict (update-client.ts).
 */
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import type { HostAddress } from './host-address.js';

export interface Exchanged {
  answer: Buffer;
  /** The server may have received the message more than once (an earlier copy may have been applied). */
  repeated: boolean;
  via: 'udp' | 'tcp';
}

export class ExchangeError extends Error {
  constructor(
    message: string,
    /** 'timeout' when nothing answered; otherwise the socket error's code (ECONNREFUSED...). */
    readonly code: string,
  ) {
    super(message);
  }
}

/** True when `answer` is the response to the message with this id. */
function answers(answer: Buffer, id: number): boolean {
  return answer.length >= 12 && answer.readUInt16BE(0) === id && (answer[2]! & 0x80) !== 0;
}

/** Up to `tries` copies over UDP, `timeoutMs` apart; resolves with the first answer to any of them. */
export function exchangeUdp(
  server: HostAddress,
  message: Buffer,
  timeoutMs: number,
  tries: number,
): Promise<{ answer: Buffer; copies: number }> {
  const id = message.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    let left = tries;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (e: Error | null, answer?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (e) reject(e);
      else resolve({ answer: answer!, copies: tries - left });
    };
    const send = () => {
      left--;
      socket.send(message, server.port, server.host, (e) => e && finish(new ExchangeError(e.message, errCode(e))));
      timer = setTimeout(
        () => (left > 0 ? send() : finish(new ExchangeError(`no answer over UDP (${tries} tries)`, 'timeout'))),
        timeoutMs,
      );
    };
    // Anything that is not the answer to this message (a late answer to an earlier one) is ignored.
    socket.on('message', (answer) => answers(answer, id) && finish(null, answer));
    socket.on('error', (e) => finish(new ExchangeError(e.message, errCode(e))));
    send();
  });
}

/** One exchange over TCP (RFC 1035 4.2.2: each message behind its two-byte length). */
export function exchangeTcp(server: HostAddress, message: Buffer, timeoutMs: number): Promise<Buffer> {
  const id = message.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (e: Error | null, answer?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (e) reject(e);
      else resolve(answer!);
    };
    const timer = setTimeout(() => finish(new ExchangeError('no answer over TCP', 'timeout')), timeoutMs);
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length);
      socket.write(Buffer.concat([length, message]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        const answer = received.subarray(2, 2 + received.readUInt16BE(0));
        received = received.subarray(2 + answer.length);
        if (answers(answer, id)) return finish(null, answer);
      }
    });
    socket.on('end', () => finish(new ExchangeError('the server closed the TCP connection without an answer', 'EOF')));
    socket.on('error', (e) => finish(new ExchangeError(e.message, errCode(e))));
  });
}

function errCode(e: Error): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * UDP (two copies), then TCP once. Rejects with an ExchangeError naming both when neither brought
 * an answer. At most three times `timeoutMs` in all.
 */
export async function exchange(server: HostAddress, message: Buffer, timeoutMs: number): Promise<Exchanged> {
  let udpProblem: ExchangeError;
  try {
    const { answer, copies } = await exchangeUdp(server, message, timeoutMs, 2);
    return { answer, repeated: copies > 1, via: 'udp' };
  } catch (e) {
    if (!(e instanceof ExchangeError) || e.code !== 'timeout') throw e;
    udpProblem = e;
  }
  try {
    // Both UDP copies may have arrived and one been applied, their answers lost or late.
    return { answer: await exchangeTcp(server, message, timeoutMs), repeated: true, via: 'tcp' };
  } catch (e) {
    const tcp = e instanceof ExchangeError ? e : new ExchangeError(String(e), 'error');
    throw new ExchangeError(
      `${udpProblem.message}, and ${tcp.code === 'timeout' ? tcp.message : `over TCP: ${tcp.message}`}`,
      'timeout',
    );
  }
}
