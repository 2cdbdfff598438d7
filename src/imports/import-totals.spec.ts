import { describe, expect, it } from '@jest/globals';
import { addStats, partRuns, sameCheckpoint, totalsAfterBatch } from './import-totals.js';
import type { ImportTotals } from './imports.repository.js';

const start: ImportTotals = {
  rows: 100,
  created: 40,
  updated: 10,
  unchanged: 45,
  failed: 3,
  skipped: 2,
  stats: { withdrawn: 1 },
  ignoredColumns: [],
  progress: 0.2,
  checkpoint: { part: 'users.csv', line: 101 },
};

describe('import totals', () => {
  it('adds stats key by key, keeping both sides', () => {
    expect(addStats({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 5, c: 4 });
    expect(addStats({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it('adds a batch: its records, what the apply step did, and the rest as unchanged', () => {
    // 50 records: 44 staged, 4 row errors from parsing, 2 skipped. The apply step created 20, updated 5
    // and rejected 3 staged rows, so 7 lines failed in all (4 + 3) and 44 - 20 - 5 - 3 = 16 are unchanged.
    const after = totalsAfterBatch(
      start,
      { size: 50, staged: 44, errorLines: 4, skipped: 2 },
      { created: 20, updated: 5, stats: { withdrawn: 2, suggestions: 7 } },
      7,
      { ignoredColumns: ['Notes'], progress: 0.4, checkpoint: { part: 'users.csv', line: 151 } },
    );
    expect(after).toEqual({
      rows: 150,
      created: 60,
      updated: 15,
      unchanged: 61,
      failed: 10,
      skipped: 4,
      stats: { withdrawn: 3, suggestions: 7 },
      ignoredColumns: ['Notes'],
      progress: 0.4,
      checkpoint: { part: 'users.csv', line: 151 },
    });
    // Every record of the batch is counted once.
    expect(after.rows - start.rows).toBe(
      after.created -
        start.created +
        (after.updated - start.updated) +
        (after.unchanged - start.unchanged) +
        (after.failed - start.failed) +
        (after.skipped - start.skipped),
    );
  });

  it('counts a line with several errors once', () => {
    const after = totalsAfterBatch(start, { size: 1, staged: 0, errorLines: 1, skipped: 0 }, { created: 0, updated: 0 }, 1, {
      ignoredColumns: [],
      progress: 0.3,
      checkpoint: { part: 'users.csv', line: 102 },
    });
    expect([after.failed, after.unchanged]).toEqual([start.failed + 1, start.unchanged]);
  });

  it('compares checkpoints by part and line, null being the start', () => {
    expect(sameCheckpoint(null, null)).toBe(true);
    expect(sameCheckpoint({ part: 'a', line: 5 }, { part: 'a', line: 5 })).toBe(true);
    expect(sameCheckpoint({ part: 'a', line: 5 }, { part: 'a', line: 6 })).toBe(false);
    expect(sameCheckpoint({ part: 'a', line: 5 }, { part: 'b', line: 5 })).toBe(false);
    expect(sameCheckpoint(null, { part: 'a', line: 5 })).toBe(false);
  });
});

describe('resuming and progress', () => {
  const parts = [
    { name: 'orgs.csv', size: 1_000 },
    { name: 'users.csv', size: 9_000 },
  ];

  it('reads every part from the start when nothing was committed', () => {
    const runs = partRuns(parts, null);
    expect(runs.map((r) => [r.index, r.skipThrough])).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('resumes in the checkpoint part, skipping its committed lines, and reads later parts whole', () => {
    expect(partRuns(parts, { part: 'orgs.csv', line: 40 }).map((r) => [r.index, r.skipThrough])).toEqual([
      [0, 40],
      [1, 0],
    ]);
    expect(partRuns(parts, { part: 'users.csv', line: 5_000 }).map((r) => [r.index, r.skipThrough])).toEqual([[1, 5_000]]);
  });

  it('takes a checkpoint of a part the plan does not name for its first part', () => {
    expect(partRuns(parts, { part: 'other.csv', line: 7 }).map((r) => [r.index, r.skipThrough])).toEqual([
      [0, 7],
      [1, 0],
    ]);
  });

  it('measures progress by bytes over all parts, below 1 until the import completes', () => {
    const [orgs, users] = partRuns(parts, null);
    expect(orgs.progressAt(500)).toBeCloseTo(0.05);
    expect(users.progressAt(0)).toBeCloseTo(0.1);
    expect(users.progressAt(4_500)).toBeCloseTo(0.55);
    expect(users.progressAt(9_000)).toBe(0.99);
    // A resumed run counts the parts before the checkpoint as read.
    expect(partRuns(parts, { part: 'users.csv', line: 10 })[0].progressAt(900)).toBeCloseTo(0.19);
  });

  it('does not divide by zero for empty files', () => {
    expect(partRuns([{ name: 'x.csv', size: 0 }], null)[0].progressAt(0)).toBe(0);
  });
});
