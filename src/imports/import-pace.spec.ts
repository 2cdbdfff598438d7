import { describe, expect, it } from '@jest/globals';
import { ImportPace } from './import-pace.js';

/** A pace over a fake clock and commit counter. */
function paced(concurrency: number, yieldAbove: number) {
  const state = { at: 0, commits: 0, reads: 0 };
  const pace = new ImportPace(
    concurrency,
    yieldAbove,
    () => {
      state.reads += 1;
      state.commits += 1; // the read is a transaction itself
      return Promise.resolve(state.commits);
    },
    () => state.at,
  );
  return { pace, state };
}

describe('ImportPace', () => {
  it('applies every batch it may while the database is otherwise quiet, its own commits not counting', async () => {
    const { pace, state } = paced(2, 20);
    expect(await pace.limit()).toBe(2);
    for (let second = 1; second <= 3; second += 1) {
      // Five batches of its own a second.
      for (let i = 0; i < 5; i += 1) {
        state.commits += 1;
        pace.ownTransaction();
      }
      state.at = second * 1000;
      expect(await pace.limit()).toBe(2);
    }
  });

  it('applies one batch at a time while other work commits more than the threshold, and all again once it stops', async () => {
    const { pace, state } = paced(3, 20);
    expect(await pace.limit()).toBe(3);
    state.commits += 200; // the API, over a second
    state.at = 1000;
    expect(await pace.limit()).toBe(1);
    // Within the window it keeps its verdict without reading again.
    state.at = 1500;
    expect(await pace.limit()).toBe(1);
    expect(state.reads).toBe(2);
    state.commits += 10;
    state.at = 2500;
    expect(await pace.limit()).toBe(3);
  });

  it('never yields when told not to, or when it applies one batch at a time anyway', async () => {
    for (const [concurrency, yieldAbove] of [
      [2, 0],
      [1, 20],
    ] as const) {
      const { pace, state } = paced(concurrency, yieldAbove);
      await pace.limit();
      state.commits += 1000;
      state.at = 1000;
      expect(await pace.limit()).toBe(concurrency);
      expect(state.reads).toBe(0);
    }
  });
});
