/**
 * Cuts a TCP byte stream into DCE/RPC fragments. Holds at most one fragment's worth of bytes plus
 * what arrived with it, and refuses a declared frag_length above the negotiated maximum before
 * buffering it, so a peer cannot make the host hold more than `maxFragment` bytes per connection.
 */
import { QuorumError } from '../domain/errors.js';
import { HEADER_LENGTH, isSupportedHeader, peekFragLength } from './dcerpc.js';

export class FragmentBuffer {
  #chunks: Uint8Array[] = [];
  #length = 0;
  maxFragment: number;

  constructor(maxFragment: number) {
    this.maxFragment = maxFragment;
  }

  /** Bytes received but not yet returned as a fragment. */
  get buffered(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  #flatten(): Uint8Array {
    if (this.#chunks.length !== 1) {
      const all = new Uint8Array(this.#length);
      let at = 0;
      for (const c of this.#chunks) {
        all.set(c, at);
        at += c.byteLength;
      }
      this.#chunks = [all];
    }
    return this.#chunks[0]!;
  }

  /**
   * The next whole fragment, or null when more bytes are needed. Throws on an impossible length. A
   * header with an unsupported version or drep comes back as its 16 bytes, whatever its frag_length.
   */
  next(): Uint8Array | null {
    if (this.#length < HEADER_LENGTH) return null;
    const all = this.#flatten();
    // A header of another version or data representation is handed over alone: its frag_length
    // is not read, so the host can answer it (bind_nak or fault) instead of waiting or guessing.
    const fragLength = isSupportedHeader(all) ? peekFragLength(all) : HEADER_LENGTH;
    if (fragLength < HEADER_LENGTH || fragLength > this.maxFragment) {
      throw new QuorumError(
        'PROTOCOL_FRAGMENT_LENGTH',
        `A fragment declares ${fragLength} bytes; the limit on this connection is ${this.maxFragment}.`,
        'Fragments must fit the negotiated max_recv_frag (docs/protocol.md §9, "Limits").',
      );
    }
    if (this.#length < fragLength) return null;
    const frag = all.subarray(0, fragLength);
    const rest = all.subarray(fragLength);
    this.#chunks = rest.byteLength > 0 ? [rest] : [];
    this.#length = rest.byteLength;
    return frag;
  }
}
