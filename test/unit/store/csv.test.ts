import { describe, expect, it } from 'vitest';
import { csvLine, csvText } from '../../../src-main/store/csv.js';

describe('CSV fields (RFC 4180)', () => {
  it('leaves plain text alone', () => {
    expect(csvText('pc-001')).toBe('pc-001');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('-2')).toBe("'-2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes numbers and booleans unquoted and ends records with CRLF', () => {
    expect(csvLine(['a', 1, true, -3])).toBe('a,1,true,-3\r\n');
  });
});
