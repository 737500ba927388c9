/**
 * RFC 4180 CSV fields. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start, also after leading spaces) is prefixed with a single quote: machine names come from
 * clients, so they are untrusted.
 */
const FORMULA_START = /^\s*[=+\-@\t\r]/;

/**
 * Quoted besides RFC 4180's comma, quote and line breaks: ";" and tab, because Excel in locales
 * whose list separator is ";" (most of Europe) splits an unquoted field there, and the piece after
 * it ("pc;=HYPERLINK(...)") would start a cell as a formula.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record; numbers and booleans are written as they are, strings through csvText. */
export function csvLine(fields: readonly (string | number | boolean)[]): string {
  return `${fields.map((f) => (typeof f === 'string' ? csvText(f) : String(f))).join(',')}\r\n`;
}
