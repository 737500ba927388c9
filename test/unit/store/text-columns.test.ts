import { describe, expect, it } from 'vitest';
import { columnsFor, TEXT_COLUMNS } from '../../../src-main/store/client-text-search.js';
import { bytesToUuid } from '../../../shared/protocol/bytes.js';

describe('the columns a text filter can match', () => {
  it('leaves the CMID out for a text no GUID can contain', () => {
    for (const text of ['pc-1', 'PC-1', 'lab', 'kiosk', '10.1.', 'fd00::', ' ', '%', 'g'])
      expect(columnsFor(text), text).toEqual(['machine_name', 'address']);
  });

  it('keeps every column for a text of hex digits and hyphens, in either case', () => {
    for (const text of ['-00012', 'ab-12', 'AB-12', 'f', '4d2c', '----'])
      expect(columnsFor(text), text).toEqual(TEXT_COLUMNS);
  });

  it('agrees with how CMIDs are stored: any piece of one keeps the CMID column', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
    const cmid = bytesToUuid(bytes);
    for (let i = 0; i < cmid.length; i++)
      for (let j = i + 1; j <= cmid.length; j++) expect(columnsFor(cmid.slice(i, j))).toContain('cmid');
  });
});
