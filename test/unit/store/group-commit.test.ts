import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../../src-main/store/group-commit.js';

function makeCommitter(maxBatch: number, failOn?: (n: number) => boolean) {
  const batches: number[][] = [];
  const committed: number[][] = [];
  const c = new GroupCommitter<number>({
    maxBatch,
    writeBatch: (items) => {
      if (failOn && items.some(failOn)) throw new Error('disk says no');
      batches.push([...items]);
    },
    committed: (items) => committed.push(items),
    toError: (e) => new Error(`wrapped: ${(e as Error).message}`),
  });
  return { c, batches, committed };
}

describe('GroupCommitter', () => {
  it('writes everything queued in one turn of the event loop in one batch', async () => {
    const { c, batches, committed } = makeCommitter(100);
    await Promise.all([1, 2, 3, 4, 5].map((n) => c.enqueue(n)));
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    expect(committed).toEqual([[1, 2, 3, 4, 5]]);
    expect(c.stats).toMatchObject({ commits: 1, items: 5, largestBatch: 5 });
  });

  it('resolves a caller only after its batch was written', async () => {
    const { c, batches } = makeCommitter(100);
    let seenAtResolve: number[][] | undefined;
    const p = c.enqueue(7).then(() => {
      seenAtResolve = batches.map((b) => [...b]);
    });
    expect(batches).toEqual([]);
    await p;
    expect(seenAtResolve).toEqual([[7]]);
  });

  it('bounds the batch size and keeps order across batches', async () => {
    const { c, batches } = makeCommitter(3);
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.enqueue(i)));
    expect(batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('rejects only the item that cannot be written; the rest of its batch commits', async () => {
    const { c, batches } = makeCommitter(10, (n) => n === 3);
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => c.enqueue(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rejected = results[2] as PromiseRejectedResult;
    expect((rejected.reason as Error).message).toBe('wrapped: disk says no');
    expect(batches.flat()).toEqual([1, 2, 4]);
    expect(c.stats.failedItems).toBe(1);
  });

  it('fails the whole batch at once when the fault is not about one item (no per-item retry)', async () => {
    let writes = 0;
    const c = new GroupCommitter<number>({
      maxBatch: 10,
      writeBatch: () => {
        writes++;
        throw new Error('database is locked');
      },
      committed: () => {},
      toError: (e) => e as Error,
      retryItems: () => false,
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => c.enqueue(n)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(writes).toBe(1);
    expect(c.stats.failedItems).toBe(3);
  });

  it('writes what is queued on close, then refuses new items', async () => {
    const { c, batches } = makeCommitter(10);
    const p = c.enqueue(1);
    c.close();
    expect(batches).toEqual([[1]]);
    await p;
    await expect(c.enqueue(2)).rejects.toThrow(/closed/);
  });

  it('a throwing committed-listener does not fail the callers', async () => {
    const c = new GroupCommitter<number>({
      maxBatch: 5,
      writeBatch: () => {},
      committed: () => {
        throw new Error('listener bug');
      },
      toError: (e) => e as Error,
    });
    await expect(c.enqueue(1)).resolves.toBeUndefined();
  });
});
