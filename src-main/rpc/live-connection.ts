/**
 * One accepted socket as its ServerConnection's transport: when to read, when to stop, and the
 * bytes the host holds for the connection.
 */
import type { Socket } from 'node:net';
import type { ConnectionTransport, ServerConnection } from './server-connection.js';
import type { RpcStats } from './rpc-stats.js';

/**
 * One accepted socket and its association. It is the connection's transport itself, and its
 * socket handlers are its own arrow fields, so a connection costs few allocations. Reading stops
 * for four reasons, each undone on its own: a call is running, more than a fragment of requests
 * waits unprocessed, the peer does not read its replies (until 'drain'), or the peer is over its
 * rate (for a pause). So the host holds at most one fragment plus one socket read of requests,
 * and one stream buffer plus one reply of replies, per connection.
 */
export class Live implements ConnectionTransport {
  readonly socket: Socket;
  readonly address: string;
  conn!: ServerConnection;
  lastProgress: number;
  timer: NodeJS.Timeout | null = null;
  timerKind: 'idle' | 'read' | null = null;
  #callPaused = false;
  #congested = false;
  #hold: NodeJS.Timeout | null = null;
  readonly #arm: (l: Live) => void;
  readonly #stats: RpcStats;
  readonly #maxFragment: number;

  constructor(socket: Socket, address: string, arm: (l: Live) => void, stats: RpcStats, maxFragment: number) {
    this.socket = socket;
    this.address = address;
    this.lastProgress = Date.now();
    this.#arm = arm;
    this.#stats = stats;
    this.#maxFragment = maxFragment;
  }

  get holding(): boolean {
    return this.#congested || this.#hold !== null;
  }

  write(bytes: Uint8Array): void {
    if (this.socket.destroyed) return;
    // Replies the peer does not read stay in this process: past the stream's high-water mark the
    // connection is read no further until they have gone out.
    if (!this.socket.write(bytes) && !this.#congested) {
      this.#congested = true;
      this.#stats.writePauses++;
      this.socket.pause();
    }
    const held = this.socket.writableLength + this.conn.bufferedBytes;
    if (held > this.#stats.peakBufferedBytes) this.#stats.peakBufferedBytes = held;
  }

  // Ending a socket the peer already closed would only build an error object.
  end(): void {
    this.#clearHold();
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
  }

  pause(): void {
    this.#callPaused = true;
    this.socket.pause();
  }

  resume(): void {
    this.#callPaused = false;
    this.#updateReading();
    this.#arm(this);
  }

  hold(ms: number): void {
    if (this.#hold !== null || ms <= 0) return;
    this.socket.pause();
    this.#hold = setTimeout(this.#endHold, ms);
    this.#hold.unref();
  }

  progressed(): void {
    this.lastProgress = Date.now();
  }

  #updateReading(): void {
    const read = !this.#callPaused && !this.holding && this.conn.bufferedBytes <= this.#maxFragment;
    if (read === this.socket.isPaused()) {
      if (read) this.socket.resume();
      else this.socket.pause();
    }
  }

  #clearHold(): void {
    if (this.#hold !== null) clearTimeout(this.#hold);
    this.#hold = null;
  }

  readonly #endHold = (): void => {
    this.#hold = null;
    this.#carryOn();
  };

  readonly onDrain = (): void => {
    if (!this.#congested) return;
    this.#congested = false;
    this.#carryOn();
  };

  #carryOn(): void {
    try {
      this.conn.flush();
      this.#updateReading();
      this.#arm(this);
    } catch (e) {
      this.fail(e);
    }
  }

  /** An exception in this connection's handling: counted and logged by the connection, which closes. */
  fail(e: unknown): void {
    try {
      this.conn.fail(e);
    } catch {
      this.#stats.internalErrors++;
    } finally {
      this.socket.destroy();
    }
  }

  /**
   * The peer sent FIN. With nothing running and nothing unsent, the socket is closed at once: the
   * peer is gone, and a shutdown() first (what Node does without allowHalfOpen) would only cost a
   * system call and a round of stream events per connection. Otherwise end() as Node would.
   */
  readonly onEnd = (): void => {
    try {
      if (this.conn.idle && this.socket.writableLength === 0) this.socket.destroy();
      else this.end();
    } catch (e) {
      this.fail(e);
    }
  };

  readonly onData = (chunk: Buffer): void => {
    try {
      this.conn.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (this.conn.bufferedBytes > this.#maxFragment) this.#updateReading();
      this.#arm(this);
    } catch (e) {
      this.fail(e);
    }
  };
}
