/**
 * Trigram summaries of the machine-name index, in blocks of consecutive names, so that a window
 * sorted by machine name with a text filter skips the stretches of the index where no name has the
 * text. Without them, "pc-1" sorted by name descending walked the 800,000 entries of "pc-2".."pc-9"
 * before its first match (~100-160 ms at a million clients).
 *
 * A block holds every entry whose name is from its first name up to the next block's first name
 * (all the entries of one name are in one block), and a bit set of the trigrams of those names,
 * ASCII-lowercased as LIKE compares them. A name with the text has every trigram of the text, so a
 * block that lacks one has no match: the set may say "maybe" wrongly (a hash collision, a name
 * since renamed), never "no" wrongly. CMIDs are not summarized: a block of random GUIDs has nearly
 * every hex trigram, so a text that may be in a CMID ("-00012") is left to the full-text index.
 *
 * Kept in memory by the process that writes the inventory (the writer reports every new name), and
 * built from the index in slices, so a start-up with a million clients is not held up (~0.7 s of
 * reading in all). A block that grows past SPLIT_FACTOR times its size is re-read and split when a
 * query next reaches it.
 */
import type { Database, Statement } from 'better-sqlite3';
import { wellFormed } from './gram-tokens.js';

/** Entries per block when built: ~1,000 blocks (1 KB each) at a million clients. */
export const BLOCK_ENTRIES = 1024;
const SPLIT_FACTOR = 4;
/** Bits per set; a block of 1,024 names of ~15 characters sets a few hundred to a few thousand. */
const BITS = 8192;
const WORDS = BITS / 32;
/** Names read per build slice (~6 ms), between which activations are served. */
const BUILD_SLICE = 8192;

/**
 * A run of consecutive candidate blocks, as bounds on machine_name: from `lo` (inclusive) to `hi`
 * (exclusive), and about how many index entries it holds.
 */
export interface NameRange {
  lo?: string;
  hi?: string;
  entries: number;
}

interface Block {
  first: string;
  last: string;
  entries: number;
  names: Uint32Array;
}

/**
 * Sets the bit of each trigram of the text, its ASCII letters lowercased as LIKE folds them (and
 * only those), hashed from the three UTF-16 code units.
 */
function addTrigrams(set: Uint32Array, text: string): void {
  let a = 0;
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (i >= 2) {
      const bit = (Math.imul(Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ c, 0xc2b2ae3d) >>> 0) % BITS;
      set[bit >>> 5]! |= 1 << (bit & 31);
    }
    a = b;
    b = c;
  }
}

/**
 * The index's order: BINARY collation, which for text is UTF-8 byte order (code point order). It
 * differs from UTF-16 code unit order only where a surrogate (part of a code point above U+FFFF)
 * meets a code unit from U+E000 up.
 */
function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    return sx === sy ? x - y : sx ? 1 : -1;
  }
  return a.length - b.length;
}

/**
 * Appends `count` entries named `name` (which sorts at or after every name in `into`) to the last
 * block, or to a new one when the last is full and the name is a new one.
 */
function append(into: Block[], name: string, count: number, size: number): void {
  let last = into.at(-1);
  if (!last || (last.entries >= size && name !== last.last)) {
    last = { first: name, last: name, entries: 0, names: new Uint32Array(WORDS) };
    into.push(last);
  }
  if (name !== last.last || last.entries === 0) addTrigrams(last.names, name);
  last.last = name;
  last.entries += count;
}

export class NameBlocks {
  readonly #db: Database;
  readonly #blockEntries: number;
  readonly #sliceEntries: number;
  #blocks: Block[] = [];
  #ready = false;
  /** The build failed: there will be no summaries, so names are not kept for them. */
  #failed = false;
  /** Names reported while a build is under way, added when it ends. */
  #pending: string[] = [];
  #statements: Map<string, Statement> = new Map();
  readonly #buildStatements: Map<string, Statement> = new Map();
  readonly #buildDb: Database;

  /**
   * `blockEntries` and `sliceEntries` are lowered by tests, so that a few hundred clients fill many.
   * `buildDb`: the connection the build reads the index through (see SqliteStore: one that does not
   * map the file, so a build leaves no mapped pages behind).
   */
  constructor(db: Database, blockEntries = BLOCK_ENTRIES, sliceEntries = BUILD_SLICE, buildDb: Database = db) {
    this.#db = db;
    this.#buildDb = buildDb;
    this.#blockEntries = blockEntries;
    this.#sliceEntries = sliceEntries;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Builds at once (tests, and the benchmark). */
  buildNow(): void {
    this.#blocks = [];
    let after: string | undefined;
    let more = true;
    while (more) [after, more] = this.#readSlice(after);
    this.#finish();
  }

  /**
   * Builds in slices, each run by `schedule` (a timer in the host), so activations are served in
   * between. `isOpen` stops it when the store has closed.
   */
  buildInSlices(schedule: (step: () => void) => void, isOpen: () => boolean): void {
    this.#blocks = [];
    const step = (after: string | undefined) => {
      if (!isOpen()) return;
      let next: string | undefined;
      let more: boolean;
      try {
        [next, more] = this.#readSlice(after);
      } catch {
        // A read that fails in the background (a damaged page, a lost file) must not stop the host:
        // windows are read without the summaries, and the queries' own reads report the fault.
        this.#failed = true;
        this.#blocks = [];
        this.#pending = [];
        return;
      }
      if (more) schedule(() => step(next));
      else this.#finish();
    };
    schedule(() => step(undefined));
  }

  /** A client's name as the writer stores it: its block learns its trigrams. */
  add(name: string): void {
    // As stored: the writer keeps a lone surrogate as U+FFFD, which sorts elsewhere.
    const stored = wellFormed(name);
    if (this.#failed) return;
    if (!this.#ready) {
      this.#pending.push(stored);
      return;
    }
    const block = this.#blocks[this.#blockOf(stored)]!;
    block.entries++;
    addTrigrams(block.names, stored);
  }

  /**
   * The runs of blocks, in index order, where a name may have the text; undefined when the text is
   * too short to have a trigram or most blocks may have it (the plain walk is then as fast). Blocks
   * grown too large on the way are split first.
   */
  candidates(text: string): NameRange[] | undefined {
    if (!this.#ready) return undefined;
    const want = new Uint32Array(WORDS);
    addTrigrams(want, text);
    const words = [...want.keys()].filter((i) => want[i] !== 0);
    if (words.length === 0) return undefined;
    this.#splitOversized();
    // >>> 0: a word with bit 31 set reads back unsigned, but & gives a signed result.
    const maybe = this.#blocks.map((b) => words.every((i) => (b.names[i]! & want[i]!) >>> 0 === want[i]));
    if (maybe.filter(Boolean).length * 2 > maybe.length) return undefined;
    const ranges: NameRange[] = [];
    for (let i = 0; i < maybe.length; i++) {
      if (!maybe[i]) continue;
      let j = i;
      let entries = this.#blocks[i]!.entries;
      while (j + 1 < maybe.length && maybe[j + 1]) entries += this.#blocks[++j]!.entries;
      ranges.push({
        entries,
        ...(i > 0 ? { lo: this.#blocks[i]!.first } : {}),
        ...(j + 1 < maybe.length ? { hi: this.#blocks[j + 1]!.first } : {}),
      });
      i = j;
    }
    return ranges;
  }

  #statement(sql: string, build = false): Statement {
    const cache = build ? this.#buildStatements : this.#statements;
    let s = cache.get(sql);
    if (!s) {
      s = (build ? this.#buildDb : this.#db).prepare(sql).pluck();
      cache.set(sql, s);
    }
    return s;
  }

  /**
   * Reads the next slice of names after `after` into blocks. A slice ends on a whole name: the
   * entries of its last name are counted, not read, so one name shared by many clients is cheap.
   * Returns the last name read and whether there are more.
   */
  #readSlice(after: string | undefined): [string | undefined, boolean] {
    const from = 'FROM clients INDEXED BY clients_by_machine_name';
    const names = (
      after === undefined
        ? this.#statement(`SELECT machine_name ${from} ORDER BY machine_name LIMIT ?`, true).all(this.#sliceEntries)
        : this.#statement(`SELECT machine_name ${from} WHERE machine_name > ? ORDER BY machine_name LIMIT ?`, true).all(
            after,
            this.#sliceEntries,
          )
    ) as string[];
    const full = names.length === this.#sliceEntries;
    const last = names.at(-1);
    for (let i = 0; i < names.length; ) {
      let j = i + 1;
      while (j < names.length && names[j] === names[i]) j++;
      if (full && j === names.length) break;
      append(this.#blocks, names[i]!, j - i, this.#blockEntries);
      i = j;
    }
    if (full && last !== undefined) {
      const count = this.#statement(`SELECT COUNT(*) ${from} WHERE machine_name = ?`, true).get(last) as number;
      append(this.#blocks, last, count, this.#blockEntries);
    }
    return [last ?? after, full];
  }

  #finish(): void {
    if (this.#blocks.length === 0) {
      this.#blocks.push({ first: '', last: '', entries: 0, names: new Uint32Array(WORDS) });
    }
    this.#ready = true;
    const pending = this.#pending;
    this.#pending = [];
    for (const name of pending) this.add(name);
  }

  /** The block whose range holds the name: the last whose first name is not after it (the first block takes anything before). */
  #blockOf(name: string): number {
    let lo = 0;
    let hi = this.#blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareText(this.#blocks[mid]!.first, name) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Re-reads each block grown past SPLIT_FACTOR times its size, as blocks of the usual size. */
  #splitOversized(): void {
    for (let i = this.#blocks.length - 1; i >= 0; i--) {
      const b = this.#blocks[i]!;
      if (b.entries <= this.#blockEntries * SPLIT_FACTOR) continue;
      const next = this.#blocks[i + 1]?.first;
      const where = [...(i > 0 ? ['machine_name >= ?'] : []), ...(next !== undefined ? ['machine_name < ?'] : [])];
      const sql = `SELECT machine_name FROM clients INDEXED BY clients_by_machine_name
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY machine_name`;
      const names = this.#statement(sql).all(
        ...(i > 0 ? [b.first] : []),
        ...(next !== undefined ? [next] : []),
      ) as string[];
      const fresh: Block[] = [];
      for (const name of names) append(fresh, name, 1, this.#blockEntries);
      if (fresh.length === 0) fresh.push({ first: b.first, last: b.first, entries: 0, names: new Uint32Array(WORDS) });
      // The first new block starts where the old one did, so names before its first stay covered.
      fresh[0]!.first = b.first;
      this.#blocks.splice(i, 1, ...fresh);
    }
  }
}
