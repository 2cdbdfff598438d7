import type { Checkpoint, ImportRow, ImportTotals } from './imports.repository.js';
import type { Applied } from './parts/part.js';

/*
 * The arithmetic of an import's totals, checkpoints and progress: pure functions, so that what a batch
 * adds and where a resumed import starts can be tested without a database.
 */

/** What one batch read from the file, as its commit counts it. */
export interface BatchCounts {
  /** Records read (every line or JSON item after the header, skipped ones included). */
  size: number;
  /** Rows staged for the apply step. */
  staged: number;
  /** Records that became row errors before staging (parsing, checks of a field). */
  errorLines: number;
  /** Records that are not ours (a teacher in users.csv). */
  skipped: number;
}

/** Where the totals stand once a batch commits. */
export interface BatchEnd {
  ignoredColumns: string[];
  progress: number;
  checkpoint: Checkpoint;
}

export function addStats(into: Record<string, number>, more: Record<string, number> | undefined): Record<string, number> {
  const out = { ...into };
  for (const [key, value] of Object.entries(more ?? {})) out[key] = (out[key] ?? 0) + value;
  return out;
}

export function totalsOf(row: ImportRow): ImportTotals {
  const { rows, created, updated, unchanged, failed, skipped, stats, ignoredColumns, progress, checkpoint } = row;
  return { rows, created, updated, unchanged, failed, skipped, stats, ignoredColumns, progress, checkpoint };
}

export const sameCheckpoint = (a: Checkpoint | null, b: Checkpoint | null): boolean =>
  (a?.part ?? null) === (b?.part ?? null) && (a?.line ?? null) === (b?.line ?? null);

/**
 * The totals after a batch. `failedLines` are the distinct lines with a row error, from parsing or from
 * the apply step; a staged row is unchanged when the apply step neither created, updated, skipped nor rejected it.
 */
export function totalsAfterBatch(
  current: ImportTotals,
  batch: BatchCounts,
  applied: Applied,
  failedLines: number,
  end: BatchEnd,
): ImportTotals {
  return {
    ...current,
    rows: current.rows + batch.size,
    created: current.created + applied.created,
    updated: current.updated + applied.updated,
    unchanged:
      current.unchanged + batch.staged - applied.created - applied.updated - (applied.skipped ?? 0) - (failedLines - batch.errorLines),
    failed: current.failed + failedLines,
    skipped: current.skipped + batch.skipped + (applied.skipped ?? 0),
    stats: addStats(current.stats, applied.stats),
    ignoredColumns: end.ignoredColumns,
    progress: end.progress,
    checkpoint: end.checkpoint,
  };
}

/** One part still to read: its index in the plan, the lines a resumed run skips, and its share of progress. */
export interface PartRun {
  index: number;
  /** Records up to this line were committed by an earlier attempt (0: none). */
  skipThrough: number;
  /** The import's progress once `bytesRead` bytes of this part are read (below 1 until it completes). */
  progressAt: (bytesRead: number) => number;
}

/**
 * The parts a run reads, resuming after `checkpoint`: parts before the checkpoint's are done, and the
 * checkpoint's part is read again from its start, skipping the committed lines. Progress is by bytes.
 */
export function partRuns(parts: readonly { name: string; size: number }[], checkpoint: Checkpoint | null): PartRun[] {
  const resumeAt = checkpoint
    ? Math.max(
        0,
        parts.findIndex((p) => p.name === checkpoint.part),
      )
    : 0;
  const totalBytes = parts.reduce((sum, p) => sum + p.size, 0) || 1;
  const runs: PartRun[] = [];
  let doneBytes = 0;
  for (const [index, part] of parts.entries()) {
    if (index >= resumeAt) {
      const before = doneBytes;
      runs.push({
        index,
        skipThrough: index === resumeAt && checkpoint ? checkpoint.line : 0,
        progressAt: (bytesRead) => Math.min(0.99, (before + bytesRead) / totalBytes),
      });
    }
    doneBytes += part.size;
  }
  return runs;
}
