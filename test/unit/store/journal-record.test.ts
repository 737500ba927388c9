/**
 * The journal's row format: every write the store queues comes back exactly as it went in, rows of
 * the older JSON format still read, and a damaged row is an error naming what is wrong (the
 * journal then keeps it, marked, and applies the rest).
 */
import { describe, expect, it } from 'vitest';
import { decodeJournalRecord, encodeJournalRecord } from '../../../src-main/store/journal-record.js';
import type { QueuedWrite } from '../../../src-main/store/write-activations.js';
import { activation } from '../../integration/store/fixtures.js';

const roundTrip = (item: QueuedWrite): QueuedWrite => decodeJournalRecord(encodeJournalRecord(item));

describe('journal record', () => {
  it('an activation comes back field for field, with or without its optional fields', () => {
    const plain: QueuedWrite = { kind: 'activation', record: activation({ n: 7 }) };
    expect(roundTrip(plain)).toEqual(plain);

    const full = activation({
      n: 8,
      machineName: 'Büro-PC ✓ 東京',
      address: '2001:db8::1',
      result: 'host-not-activated',
    });
    full.input.previousCmid = '11111111-2222-4333-8444-555555555555';
    full.decision.message = 'The host key is not activated.';
    full.changes.push(
      { kind: 'cmid-remove', applicationId: full.input.applicationId, cmid: '99999999-2222-4333-8444-555555555555' },
      { kind: 'capacity', applicationId: full.input.applicationId, capacity: 50 },
    );
    const item: QueuedWrite = { kind: 'activation', record: full };
    expect(roundTrip(item)).toEqual(item);
  });

  it('a refusal keeps exactly the fields it had', () => {
    const bare: QueuedWrite = {
      kind: 'refusal',
      record: { at: 1_700_000_000_123, result: 'invalid-request', address: '10.0.0.9' },
    };
    expect(roundTrip(bare)).toEqual(bare);
    const partial: QueuedWrite = {
      kind: 'refusal',
      record: {
        at: 1,
        result: 'rate-limited',
        address: '::1',
        cmid: '0f8fad5b-d9cb-469f-a165-70867728950e',
        machineName: '',
        licenseState: -1,
        isVm: false,
        remainingMinutes: 0,
      },
    };
    expect(roundTrip(partial)).toEqual(partial);
  });

  it('engine changes with no request behind them', () => {
    const item: QueuedWrite = { kind: 'engine-changes', changes: activation({ n: 3 }).changes };
    expect(roundTrip(item)).toEqual(item);
    expect(roundTrip({ kind: 'engine-changes', changes: [] })).toEqual({ kind: 'engine-changes', changes: [] });
  });

  it('is about half the size of the JSON rows it replaces', () => {
    const item: QueuedWrite = { kind: 'activation', record: activation({ n: 7 }) };
    expect(encodeJournalRecord(item).length).toBeLessThan(JSON.stringify(item).length * 0.6);
  });

  it('reads rows an older build wrote as JSON', () => {
    const item: QueuedWrite = { kind: 'activation', record: activation({ n: 5 }) };
    expect(decodeJournalRecord(JSON.stringify(item))).toEqual(item);
  });

  it('stores a lone surrogate as U+FFFD, as the inventory does', () => {
    const record = activation({ n: 1, machineName: 'pc-\ud800' });
    const back = roundTrip({ kind: 'activation', record });
    expect(back.kind === 'activation' && back.record.input.machineName).toBe('pc-\ufffd');
  });

  it('a damaged row is an error that says what is wrong', () => {
    const body = encodeJournalRecord({ kind: 'activation', record: activation({ n: 2 }) });
    expect(() => decodeJournalRecord(body.subarray(0, body.length - 3))).toThrow(/ends early/);
    expect(() => decodeJournalRecord(Buffer.concat([body, Buffer.from([0])]))).toThrow(/after its last field/);
    expect(() => decodeJournalRecord(Buffer.from([9, 1]))).toThrow(/format 9/);
    expect(() => decodeJournalRecord(Buffer.from([1, 7]))).toThrow(/unknown kind 7/);
  });
});
