// The key limits as meters: the level (ok, near, at the limit) is in the colour class and in the
// words a screen reader hears, so colour is never the only sign.
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import LimitMeter from '../../../src-renderer/src/lib/LimitMeter.svelte';

afterEach(cleanup);

function meter(used: number | null, limit = 6, nearAt = 5) {
  render(LimitMeter, { label: 'Hosts using this key', used, limit, nearAt, unit: 'hosts' });
  return screen.getByRole('meter', { name: 'Hosts using this key' });
}

describe('limit meter', () => {
  it.each([
    [1, 'ok', '1 of 6 hosts'],
    [5, 'near', '5 of 6 hosts: near the limit'],
    [6, 'at', '6 of 6 hosts: the limit is reached'],
  ])('at %i of 6 it is %s and says "%s"', (used, level, words) => {
    const m = meter(used);
    expect(m.classList.contains(level)).toBe(true);
    expect(m.getAttribute('aria-valuenow')).toBe(String(used));
    expect(m.getAttribute('aria-valuetext')).toBe(words);
    expect(screen.getByTestId('meter-hosts').textContent?.trim()).toBe(words);
  });

  it('says the count is not known before the host is activated', () => {
    const m = meter(null);
    expect(m.getAttribute('aria-valuetext')).toBe('not known until the host is activated (limit 6)');
  });
});
