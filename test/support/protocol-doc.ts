/**
 * Reads docs/protocol.md and docs/catalogue.md as data: their markdown tables and the hex blocks of
 * the test vectors, so tests check the host against the document's own text, row by row.
 */
import { readFileSync } from 'node:fs';

export function readDoc(name: 'protocol.md' | 'catalogue.md'): string {
  return readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
}

export type Row = Record<string, string>;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
}

/** The first table after the line that starts with `anchor` (a heading or a bold caption), as rows keyed by header. */
export function tableAfter(text: string, anchor: string): Row[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(anchor));
  if (start < 0) throw new Error(`no "${anchor}" in the document`);
  let i = start + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) {
    if (lines[i]!.startsWith('#')) throw new Error(`no table under "${anchor}"`);
    i++;
  }
  const header = cells(lines[i]!);
  const rows: Row[] = [];
  for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    const values = cells(lines[i]!);
    if (values.length !== header.length)
      throw new Error(`row of ${values.length} cells under "${anchor}": ${lines[i]}`);
    rows.push(Object.fromEntries(header.map((h, k) => [h, values[k]!])));
  }
  return rows;
}

/** The text inside the first pair of backticks of a cell. */
export function code(cell: string): string {
  const m = /`([^`]*)`/.exec(cell);
  if (!m) throw new Error(`no \`value\` in "${cell}"`);
  return m[1]!;
}

/** Every `**Vector NAME**` block of §11: name -> hex (line breaks removed). */
export function vectorBlocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/\*\*Vector ([a-z-]+)\*\*[^\n]*\((\d+) bytes\):\n\n```\n([0-9a-f\n]+)```/g)) {
    const hex = m[3]!.replace(/\n/g, '');
    if (hex.length !== Number(m[2]) * 2) throw new Error(`vector ${m[1]} says ${m[2]} bytes but has ${hex.length / 2}`);
    out.set(m[1]!, hex);
  }
  return out;
}

/** `key=value` pairs written in backticks in a cell, e.g. `call_id=1` `pfc_flags=0x03`. */
export function assignments(cell: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of cell.matchAll(/`([a-z_]+)=(0x[0-9a-f]+|\d+)`/g)) out[m[1]!] = Number(m[2]);
  return out;
}
