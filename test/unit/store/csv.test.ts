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

  it('defuses a formula after leading spaces, which some spreadsheets trim on import', () => {
    expect(csvText('  =cmd|calc')).toBe("'  =cmd|calc");
    expect(csvText('\u00a0+1')).toBe("'\u00a0+1");
    expect(csvText('a =b')).toBe('a =b');
  });

  it('quotes ";" and tab, where Excel in ";" locales would split the field and start a formula cell', () => {
    expect(csvText('pc;=HYPERLINK("x")')).toBe('"pc;=HYPERLINK(""x"")"');
    expect(csvText('pc\t=1+1')).toBe('"pc\t=1+1"');
  });

  it('leaves non-ASCII names as they are', () => {
    expect(csvText('Ünïcødé-ПК-電腦')).toBe('Ünïcødé-ПК-電腦');
  });

  it('writes numbers and booleans unquoted and ends records with CRLF', () => {
    expect(csvLine(['a', 1, true, -3])).toBe('a,1,true,-3\r\n');
  });
});
