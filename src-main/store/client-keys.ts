/**
 * The filterable keys of every client (group_key: product, license state and VM flag; and last
 * seen) in memory, by rowid, so that a window's filters are applied to the text's listed matches in
 * JS before any row is read. Without them, "999" with a product filter read the row of each of the
 * text's ~3,000 matches twice (once to pick the window, once to count it: ~20 ms at a million
 * clients), and its total was a lower bound; with them, the filters cost ~25 µs per thousand
 * matches and the total is exact. The clients seen since a cutoff are listed from here too.
 *
 * 12 bytes a client (12 MB at a million). Kept by the process that writes the inventory: after each
 * apply transaction commits, the store refreshes the keys of the clients it wrote, read back from
 * the table (so they are what SQLite stored, generated group_key included). Built from the
 * last-seen index in slices after start-up, as the name summaries are; until then, and whenever
 * another connection has written the database (PRAGMA data_version), windows are read without them.
 */
import type { Database, Statement } from 'better-sqlite3';

/** Index entries read per build slice (~25 ms), between which activations are served. */
const BUILD_SLICE = 20_000;

export class ClientKeys {
  readonly #slice: number;
  readonly #read: Statement;
  readonly #lastOf: Statement;
  readonly #refresh: Statement;
  readonly #version: Statement;
  #groupKey = new Uint32Array(0);
  /** Last seen (ms); NaN where no client has the rowid. */
  #lastSeen = new Float64Array(0);
  /** Arrays allocated: a build is under way or done, so refreshed rows go in. */
  #building = false;
  #ready = false;
  #builtAtVersion = 0;
  /** Which build a slice belongs to: one dropped for a rebuild reads no further. */
  #generation = 0;
  #rebuild: (() => void) | undefined;

  /**
   * `sliceRows` is lowered by tests, so that a few hundred clients take several slices. `buildDb`:
   * the connection the build reads the index through (as NameBlocks'); the refreshes read `db`.
   */
  constructor(db: Database, sliceRows = BUILD_SLICE, buildDb: Database = db) {
    this.#slice = sliceRows;
    // In the last-seen index's order, from after a (last_seen, cmid) position: cmid is unique, so
    // the pair is. A row written during the build moves to the end (last seen never goes back) and
    // is read there, or was refreshed already.
    this.#read = buildDb.prepare(
      `SELECT json_group_array(rowid) AS ids, json_group_array(group_key) AS keys, json_group_array(last_seen) AS seen
       FROM (SELECT rowid, group_key, last_seen FROM clients INDEXED BY clients_by_last_seen
             WHERE (last_seen, cmid) > (?, ?) ORDER BY last_seen, cmid LIMIT ?)`,
    );
    this.#lastOf = buildDb.prepare(
      `SELECT last_seen AS t, cmid AS c FROM clients INDEXED BY clients_by_last_seen
       WHERE (last_seen, cmid) > (?, ?) ORDER BY last_seen, cmid LIMIT 1 OFFSET ?`,
    );
    this.#refresh = db.prepare(
      'SELECT json_group_array(rowid) AS ids, json_group_array(group_key) AS keys, json_group_array(last_seen) AS seen FROM clients WHERE cmid IN (SELECT value FROM json_each(?))',
    );
    this.#version = db.prepare('PRAGMA data_version').pluck();
  }

  /**
   * Built, and no other connection has written since: another process's writes (none in normal
   * use) are not refreshed here, so the keys are dropped and built again.
   */
  get ready(): boolean {
    if (!this.#ready) return false;
    if (this.#version.get() === this.#builtAtVersion) return true;
    this.#drop();
    return false;
  }

  #drop(): void {
    this.#ready = false;
    this.#building = false;
    this.#generation++;
    this.#rebuild?.();
  }

  /** Rowids the keys span (a scan reads each). */
  get size(): number {
    return this.#lastSeen.length;
  }

  /** Builds at once (tests, and the benchmark). */
  buildNow(): void {
    this.#start();
    let at: Position | undefined = START;
    while (at) at = this.#readSlice(at);
    this.#ready = true;
  }

  /** Builds in slices, each run by `schedule` (a timer in the host); `isOpen` stops it once the store has closed. */
  buildInSlices(schedule: (step: () => void) => void, isOpen: () => boolean): void {
    this.#rebuild = () => this.buildInSlices(schedule, isOpen);
    const generation = this.#start();
    const step = (at: Position) => {
      if (!isOpen() || generation !== this.#generation) return;
      let next: Position | undefined;
      try {
        next = this.#readSlice(at);
      } catch {
        // A background read that fails must not stop the host: windows are read without the keys
        // (and the queries' own reads report the fault). No rebuild: it would fail the same way.
        this.#rebuild = undefined;
        this.#drop();
        return;
      }
      if (next) schedule(() => step(next));
      else this.#ready = true;
    };
    schedule(() => step(START));
  }

  /** An apply transaction that wrote these clients committed: their keys as stored now. */
  refresh(cmids: readonly string[]): void {
    if (!this.#building || cmids.length === 0) return;
    try {
      this.#put(this.#refresh.get(JSON.stringify(cmids)) as Slice);
    } catch {
      // Keys that may be stale are never used: drop them, and build them again.
      this.#drop();
    }
  }

  /**
   * The rowids of `ids` whose client passes `key` (a test of group_key, when the query filters on
   * product, state or VM) and was seen at or after `cutoff`, in the same order; undefined when the
   * keys are not ready.
   */
  passing(ids: readonly number[], key: ((k: number) => boolean) | undefined, cutoff = -Infinity): number[] | undefined {
    if (!this.ready) return undefined;
    const keys = this.#groupKey;
    const seen = this.#lastSeen;
    const out: number[] = [];
    for (const id of ids) {
      // NaN (no client) fails the comparison; a rowid past the arrays reads undefined, which fails it too.
      if (!((seen[id] as number) >= cutoff)) continue;
      if (key && !key(keys[id]!)) continue;
      out.push(id);
    }
    return out;
  }

  /** Every client seen at or after `cutoff`, in rowid order; undefined when the keys are not ready. */
  seenSince(cutoff: number): number[] | undefined {
    if (!this.ready) return undefined;
    const seen = this.#lastSeen;
    const out: number[] = [];
    for (let id = 0; id < seen.length; id++) if (seen[id]! >= cutoff) out.push(id);
    return out;
  }

  #start(): number {
    this.#ready = false;
    this.#building = true;
    this.#groupKey = new Uint32Array(0);
    this.#lastSeen = new Float64Array(0);
    // Read before the first slice: a write by another connection after it shows as a new version.
    this.#builtAtVersion = this.#version.get() as number;
    return ++this.#generation;
  }

  /** Reads the entries after `at`; returns where the next slice starts, or undefined at the end. */
  #readSlice(at: Position): Position | undefined {
    const slice = this.#read.get(at.t, at.c, this.#slice) as Slice;
    const n = this.#put(slice);
    if (n < this.#slice) return undefined;
    const last = this.#lastOf.get(at.t, at.c, n - 1) as Position | undefined;
    return last;
  }

  /** Stores a slice's keys; returns how many rows it held. */
  #put(slice: Slice): number {
    const ids = JSON.parse(slice.ids) as number[];
    const keys = JSON.parse(slice.keys) as number[];
    const seen = JSON.parse(slice.seen) as number[];
    let top = 0;
    for (const id of ids) if (id > top) top = id;
    if (top >= this.#lastSeen.length) this.#grow(top + 1);
    for (let i = 0; i < ids.length; i++) {
      this.#groupKey[ids[i]!] = keys[i]!;
      this.#lastSeen[ids[i]!] = seen[i]!;
    }
    return ids.length;
  }

  #grow(atLeast: number): void {
    const size = Math.max(atLeast, Math.ceil(this.#lastSeen.length * 1.5), 1024);
    const keys = new Uint32Array(size);
    keys.set(this.#groupKey);
    const seen = new Float64Array(size).fill(NaN);
    seen.set(this.#lastSeen);
    this.#groupKey = keys;
    this.#lastSeen = seen;
  }
}

/** A position in the last-seen index: the (last_seen, cmid) of the entry read last. */
interface Position {
  t: number;
  c: string;
}
const START: Position = { t: -Infinity, c: '' };

interface Slice {
  ids: string;
  keys: string;
  seen: string;
}
