/**
 * RFC 4180 CSV fields. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) is prefixed with a single quote: machine names come from clients, so they are untrusted.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record; numbers and booleans are written as they are, strings through csvText. */
export function csvLine(fields: readonly (string | number | boolean)[]): string {
  return `${fields.map((f) => (typeof f === 'string' ? csvText(f) : String(f))).join(',')}\r\n`;
}
