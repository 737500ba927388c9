import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { CLIENT_EXPORT_FIELDS, REQUEST_LOG_EXPORT_FIELDS } from '../../../src-main/store/export.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
const N = 1234;
const at = Date.UTC(2026, 2, 3, 4, 5, 6);

/** A strict RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

beforeAll(async () => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock: { now: () => at } });
  const records = Array.from({ length: N }, (_, n) => activation({ n, at }));
  records[5] = activation({ n: 5, at, machineName: 'evil,"name"\nline2' });
  records[6] = activation({ n: 6, at, machineName: '=cmd|calc' });
  await Promise.all(records.map((r) => store.commitActivation(r)));
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

function collect(run: (out: (chunk: string) => void) => number): { text: string; chunks: string[]; n: number } {
  const chunks: string[] = [];
  const n = run((c) => chunks.push(c));
  return { text: chunks.join(''), chunks, n };
}

describe('exports', () => {
  it('clients as CSV: a header, one record per client, hostile names quoted and defused, in chunks', () => {
    const { text, chunks, n } = collect((out) => store.exportClients('csv', out));
    expect(n).toBe(N);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CLIENT_EXPORT_FIELDS]);
    expect(rows).toHaveLength(N + 1);
    const names = rows.slice(1).map((r) => r[0]);
    expect(names).toContain('evil,"name"\nline2');
    expect(names).toContain("'=cmd|calc");
    const first = Object.fromEntries(CLIENT_EXPORT_FIELDS.map((f, i) => [f, rows[1]![i]]));
    expect(first).toMatchObject({
      lastSeen: '2026-03-03T04:05:06.000Z',
      licenseStateName: 'initial grace',
      requestCount: '1',
    });
  });

  it('clients as JSON: one valid array, every chunk ending in a newline', () => {
    const { text, chunks, n } = collect((out) => store.exportClients('json', out));
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
    const rows = JSON.parse(text) as Record<string, unknown>[];
    expect(rows).toHaveLength(n);
    expect(Object.keys(rows[0]!).sort()).toEqual([...CLIENT_EXPORT_FIELDS].sort());
    expect(rows.find((r) => r.machineName === 'evil,"name"\nline2')).toBeDefined();
  });

  it('the request log as CSV and JSON', () => {
    const csv = parseCsv(collect((out) => store.exportRequestLog('csv', out)).text);
    expect(csv[0]).toEqual([...REQUEST_LOG_EXPORT_FIELDS]);
    expect(csv).toHaveLength(N + 1);
    const json = JSON.parse(collect((out) => store.exportRequestLog('json', out)).text) as { at: string }[];
    expect(json).toHaveLength(N);
    expect(json[0]!.at).toBe('2026-03-03T04:05:06.000Z');
  });

  it('an empty table exports a header only, or an empty array', () => {
    const t = tempDir();
    const s = openStore({ file: databasePath(t.dir) });
    try {
      expect(parseCsv(collect((out) => s.exportClients('csv', out)).text)).toHaveLength(1);
      expect(JSON.parse(collect((out) => s.exportClients('json', out)).text)).toEqual([]);
    } finally {
      s.close();
      t.cleanup();
    }
  });
});
