import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerOrder, debounced, TYPE_AHEAD_MS } from '../../../src-renderer/src/lib/type-ahead.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('type-ahead', () => {
  it('asks once typing pauses, with the last text typed', () => {
    vi.useFakeTimers();
    const asked: string[] = [];
    const typed = debounced((t: string) => asked.push(t));
    for (const t of ['p', 'pc', 'pc-', 'pc-4', 'pc-42']) {
      typed.call(t);
      vi.advanceTimersByTime(TYPE_AHEAD_MS / 2);
    }
    expect(asked).toEqual([]);
    vi.advanceTimersByTime(TYPE_AHEAD_MS);
    expect(asked).toEqual(['pc-42']);
    vi.advanceTimersByTime(TYPE_AHEAD_MS * 10);
    expect(asked).toEqual(['pc-42']);
  });

  it('asks at once on flush (Enter), and not at all once cancelled (Clear filters)', () => {
    vi.useFakeTimers();
    const asked: string[] = [];
    const typed = debounced((t: string) => asked.push(t));
    typed.call('srv');
    typed.flush();
    expect(asked).toEqual(['srv']);
    typed.flush();
    typed.call('zzz');
    typed.cancel();
    vi.advanceTimersByTime(TYPE_AHEAD_MS * 2);
    expect(asked).toEqual(['srv']);
  });

  it('gives the text still being typed to another change, and then does not run it', () => {
    vi.useFakeTimers();
    const asked: string[] = [];
    const typed = debounced((t: string) => asked.push(t));
    typed.call('Se');
    expect(typed.take()).toBe('Se');
    expect(typed.take()).toBeUndefined();
    vi.advanceTimersByTime(TYPE_AHEAD_MS * 2);
    expect(asked).toEqual([]);
  });

  it('drops an answer that arrives after a newer one was shown, and takes answers in order', () => {
    const answers = answerOrder();
    const slow = answers.next();
    const fast = answers.next();
    expect(answers.take(fast)).toBe(true);
    expect(answers.take(slow)).toBe(false);
    const third = answers.next();
    const fourth = answers.next();
    expect(answers.take(third)).toBe(true);
    expect(answers.take(fourth)).toBe(true);
  });
});
