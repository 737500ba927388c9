import { describe, expect, it } from 'vitest';
import { createNewClientGuard } from '../../../src-main/host/new-client-guard.js';

describe('the inventory-growth guard', () => {
  it('takes a machine admitted a moment ago, not yet in the inventory, for a renewal', () => {
    // The inventory row is written when the journal is applied, after the reply: not known yet.
    const guard = createNewClientGuard({ perHour: 1, clock: { now: () => 0 }, isKnown: () => false });
    expect(guard.admit('10.0.0.9', 'cmid-a')).toBe(true);
    expect(guard.admit('10.0.0.9', 'cmid-a')).toBe(true);
    expect(guard.admit('10.0.0.9', 'cmid-b')).toBe(false);
    expect(guard.admit('10.0.0.8', 'cmid-b')).toBe(true);
  });

  it('never limits machines the inventory knows, nor anything when turned off', () => {
    const known = createNewClientGuard({ perHour: 1, clock: { now: () => 0 }, isKnown: (c) => c.startsWith('k') });
    expect(known.admit('10.0.0.9', 'new-1')).toBe(true);
    for (let i = 0; i < 5; i++) expect(known.admit('10.0.0.9', `k-${i}`)).toBe(true);
    expect(known.admit('10.0.0.9', 'new-2')).toBe(false);
    known.setLimit(0);
    expect(known.admit('10.0.0.9', 'new-3')).toBe(true);
  });
});
