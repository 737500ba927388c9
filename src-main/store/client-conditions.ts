/**
 * The conditions of one client window query in the forms the read drivers need: the product,
 * state and VM filter as IN lists over the groups that exist and as tests on group_key (which the
 * sort indexes hold), the seen-within cutoff, and the text with the columns it can be in.
 */
import type { Statement } from 'better-sqlite3';
import type { ClientWindowQuery } from '../../shared/domain/records.js';
import { GROUP_KEY_SQL } from './migrations/004-client-group-key.js';
import type { NameRange } from './name-blocks.js';
import { inSetSql, type IdSet, type SqlParam } from './client-id-set.js';
import { columnsFor, ftsPhrase, likeCondition, type TextColumn } from './client-text-search.js';

type Prepare = (sql: string) => Statement;

/** How a window is read: walking the sort index, the group index, the last-seen index, or the text's matches. */
export type Driver = 'sort' | 'group' | 'range' | 'text';

interface Group {
  product_id: string;
  license_state: number;
  is_vm: number;
  n: number;
  /** `group_key` of the group's rows (migration 004). */
  k: number;
}

/** A test on group_key: `sql` with one parameter, and the same test in JS. */
interface KeyTest {
  sql: string;
  value: number;
  of(k: number): number;
}

/** Conditions of one query, in the forms the drivers need. */
export interface Conditions {
  /** product/state/VM as IN lists over the groups that exist (always present; an index range on clients_by_group). */
  groupSql: string;
  groupParams: (string | number)[];
  /** True when the query filters on product, state or VM. */
  hasEq: boolean;
  /**
   * The same product/state/VM filter as tests on group_key, which the sort indexes hold; undefined
   * when two groups of different products share a key hash, so the key cannot tell them apart.
   */
  keySql?: string;
  keyParams: number[];
  /** The same tests in JS, on a group_key value (undefined with keySql). */
  keyTest?: (k: number) => boolean;
  eqTotal: number;
  cutoff: number | undefined;
  text: string | undefined;
  /** Rowids matching the text, when the full-text probe found fewer than the probe cap: reused, not re-searched. */
  textIds?: number[];
  /** The same rowids open as a byte map (client-id-set.ts), when the list is long; walks test it in each entry. */
  textSet?: IdSet;
  /** The clients seen since the cutoff, as a byte map, when a walk of another sort index tests it in each entry. */
  cutoffSet?: IdSet;
  /** Products of the groups the product/state/VM filter selects. */
  productIds: string[];
  /** The columns the text test reads: those the text can be in (columnsFor), less any ruled out by a read. */
  textColumns?: TextColumn[];
  /** True once #ruleOutTextColumns has read the full-text index for this query. */
  ruledOut?: boolean;
  /**
   * Where the machine-name summaries say a name may have the text (null: they cannot say), kept
   * once read: the listing, the select and the count of one window all ask.
   */
  nameCandidates?: NameRange[] | null;
}

export function conditionsOf(prepare: Prepare, q: ClientWindowQuery, now: number): Conditions {
  const f = q.filter;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.productId !== undefined) {
    where.push('product_id = ?');
    params.push(f.productId.toLowerCase());
  }
  if (f.licenseState !== undefined) {
    where.push('license_state = ?');
    params.push(f.licenseState);
  }
  if (f.isVm !== undefined) {
    where.push('is_vm = ?');
    params.push(f.isVm ? 1 : 0);
  }
  const groups = prepare(
    `SELECT product_id, license_state, is_vm, n, ${GROUP_KEY_SQL} AS k FROM client_totals WHERE n > 0 ${where.length ? `AND ${where.join(' AND ')}` : ''}`,
  ).all(...params) as Group[];
  const distinct = <T>(pick: (g: Group) => T) => [...new Set(groups.map(pick))];
  const lists: [string, (string | number)[]][] = [
    ['product_id', distinct((g) => g.product_id)],
    ['license_state', distinct((g) => g.license_state)],
    ['is_vm', distinct((g) => g.is_vm)],
  ];
  let cutoff = f.seenWithinMs === undefined ? undefined : now - f.seenWithinMs;
  if (cutoff !== undefined) {
    // A window wider than the whole inventory filters nothing: drop it and keep exact totals.
    const oldest = (prepare('SELECT MIN(last_seen) AS t FROM clients').get() as { t: number | null }).t;
    if (oldest !== null && cutoff <= oldest) cutoff = undefined;
  }
  const text = f.text?.trim() || undefined;
  const textColumns = text === undefined ? undefined : [...columnsFor(text)];
  const tests = keyTests(prepare, q, groups);
  return {
    keySql: tests?.map((t) => t.sql).join(' AND '),
    keyTest: tests && ((k: number) => tests.every((t) => t.of(k) === t.value)),
    keyParams: tests?.map((t) => t.value) ?? [],
    groupSql: lists.map(([col, vals]) => `${col} IN (${vals.map(() => '?').join(', ')})`).join(' AND '),
    groupParams: lists.flatMap(([, vals]) => vals),
    hasEq: where.length > 0,
    eqTotal: groups.reduce((sum, g) => sum + g.n, 0),
    productIds: distinct((g) => g.product_id),
    cutoff,
    text,
    textColumns,
  };
}

/**
 * The product/state/VM filter as group_key tests, if they select exactly the groups the filter
 * selects: checked against every group that has clients, since a product hash may collide.
 */
function keyTests(prepare: Prepare, q: ClientWindowQuery, selected: Group[]): KeyTest[] | undefined {
  const f = q.filter;
  const tests: KeyTest[] = [];
  const productKey = selected[0] && Math.floor(selected[0].k / 14);
  if (f.productId !== undefined && productKey !== undefined) {
    tests.push({ sql: '(group_key / 14) = ?', value: productKey, of: (k) => Math.floor(k / 14) });
  }
  if (f.licenseState !== undefined) {
    tests.push({ sql: '((group_key / 2) % 7) = ?', value: f.licenseState, of: (k) => Math.floor(k / 2) % 7 });
  }
  if (f.isVm !== undefined) tests.push({ sql: '(group_key % 2) = ?', value: f.isVm ? 1 : 0, of: (k) => k % 2 });
  if (tests.length === 0) return tests;
  const all = prepare(
    `SELECT product_id, license_state, is_vm, n, ${GROUP_KEY_SQL} AS k FROM client_totals WHERE n > 0`,
  ).all() as Group[];
  const chosen = new Set(selected.map((g) => `${g.product_id}\u0000${g.license_state}\u0000${g.is_vm}`));
  const exact = all.every(
    (g) =>
      chosen.has(`${g.product_id}\u0000${g.license_state}\u0000${g.is_vm}`) ===
      tests.every((t) => t.of(g.k) === t.value),
  );
  return exact ? tests : undefined;
}

/** FROM + WHERE for a driver: the index it reads, then every condition of the query. */
export function fromOf(
  c: Conditions,
  driver: Driver,
  sortIndex: string,
  extra?: { sql: string; params: SqlParam[] },
): { sql: string; params: SqlParam[] } {
  const { where, params } = whereOf(c, driver, extra, sortIndex.slice('clients_by_'.length));
  const index =
    driver === 'sort'
      ? `INDEXED BY ${sortIndex}`
      : driver === 'group'
        ? 'INDEXED BY clients_by_group'
        : driver === 'range'
          ? 'INDEXED BY clients_by_last_seen'
          : 'NOT INDEXED';
  return { sql: `FROM clients ${index} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params };
}

/** Every condition of the query, in the form the driver's index can test. */
export function whereOf(
  c: Conditions,
  driver: Driver,
  extra?: { sql: string; params: SqlParam[] },
  sortColumn = 'machine_name',
): { where: string[]; params: SqlParam[] } {
  const where: string[] = extra ? [extra.sql] : [];
  const params: SqlParam[] = extra ? [...extra.params] : [];
  if ((driver === 'sort' || driver === 'range') && c.keySql !== undefined) {
    // Tested in the index entry: rows that fail, or that the offset skips, are never read.
    if (c.keySql) where.push(c.keySql);
    params.push(...c.keyParams);
  } else if (c.hasEq || driver === 'group') {
    where.push(c.groupSql);
    params.push(...c.groupParams);
  }
  // The clients seen since the cutoff, listed: tested in the entry, where last_seen is not. After
  // a text test the entry holds (LIKE ~0.1 µs, a set test ~0.35 µs), before one that reads the row.
  const cutoffSet = c.cutoff !== undefined && driver === 'sort' ? c.cutoffSet : undefined;
  const textInEntry =
    c.textIds !== undefined || (c.textColumns ?? []).every((col) => col === sortColumn || col === 'cmid');
  const cutoffLast = cutoffSet !== undefined && c.text !== undefined && textInEntry;
  const pushSet = (set: IdSet) => {
    const test = inSetSql(set);
    where.push(test.sql);
    params.push(...test.params);
  };
  if (cutoffSet && !cutoffLast) pushSet(cutoffSet);
  else if (c.cutoff !== undefined && !cutoffSet) {
    where.push('last_seen >= ?');
    params.push(c.cutoff);
  }
  if (c.text !== undefined) {
    if (c.textIds && c.textSet?.ids === c.textIds && driver !== 'text') {
      // The rowid is in every index entry: a walk tests the text there, without reading the row.
      pushSet(c.textSet);
    } else if (c.textIds) {
      where.push('rowid IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(c.textIds));
    } else if (driver === 'text') {
      // LIKE too: the trigram tokenizer folds the case of non-ASCII letters, LIKE does not.
      const like = likeCondition(c.text, c.textColumns);
      where.push(`rowid IN (SELECT rowid FROM clients_text WHERE clients_text MATCH ?) AND ${like.sql}`);
      params.push(ftsPhrase(c.text), ...like.params);
    } else {
      const like = likeCondition(c.text, c.textColumns);
      where.push(like.sql);
      params.push(...like.params);
    }
  }
  if (cutoffSet && cutoffLast) pushSet(cutoffSet);
  return { where, params };
}
