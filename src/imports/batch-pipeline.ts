import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BulkStage } from '../database/bulk-stage.js';
import { pgError } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Batch } from './import-batch.js';
import { ImportPace } from './import-pace.js';
import { partLabel, type ImportPlan, type PlannedPart } from './import-plan.js';
import { batchesOf, openRecords } from './import-sources.js';
import { partRuns, sameCheckpoint, totalsAfterBatch } from './import-totals.js';
import { ImportsRepository, type Checkpoint, type ImportRow, type ImportTotals, type SparseTable } from './imports.repository.js';
import type { Applied, BatchContext } from './parts/part.js';

export interface ImportProgress {
  importId: string;
  part: string;
  totals: ImportTotals;
}

export interface LoadOptions {
  /** Called after each committed batch (the CLI's progress bar). */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborted when the worker shuts down past its budget: no new batch starts, the import resumes later. */
  signal?: AbortSignal;
}

/** Tries of one batch that lost a deadlock to the batch beside it, or found its predecessor undone. */
const MAX_BATCH_TRIES = 5;
const DEADLOCK_DETECTED = '40P01';

/** One batch on its way: where it ends, and the checkpoint the batch before it leaves. */
interface BatchJob {
  seq: number;
  batch: Batch;
  planned: PlannedPart;
  /** The checkpoint this batch must find: its predecessor committed, nothing else did. */
  after: Checkpoint | null;
  checkpoint: Checkpoint;
  progress: number;
  previous: InFlight | null;
}

interface InFlight {
  job: BatchJob;
  /** Settles once the batch's transaction holds its turn (the next batch may then start). */
  started: Promise<void>;
  /** The import's totals as the batch's commit left them. */
  done: Promise<ImportTotals>;
}

/** What the batches of a run share across the parts of the file. */
interface LoadState {
  /** How many batches may be applied at once, as other work allows. */
  pace: ImportPace;
  seq: number;
  /** The checkpoint the last dispatched batch will leave. */
  checkpoint: Checkpoint | null;
  previous: InFlight | null;
}

/** The batch before this one rolled back: this one may not commit past it. */
class OutOfTurnError extends Error {}

/**
 * Applies an import's file batch by batch: COPY into the batch's stage, then the part's set-based
 * statements; one transaction per batch, which also records the row errors, the counts and a
 * checkpoint. A retried run resumes after the last committed batch.
 */
@Injectable()
export class BatchPipeline {
  private readonly logger = new Logger('imports');
  /** Imports this process is loading now (the worker runs two districts' at once). */
  private loading = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly imports: ImportsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Loads every part not committed yet; `totals` follow the commits. */
  async load(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals, options: LoadOptions): Promise<void> {
    const pace = new ImportPace(this.config.importApplyConcurrency, this.config.importYieldCommitsPerSecond, () =>
      this.imports.transactionsSoFar(),
    );
    const state: LoadState = { pace, seq: 0, checkpoint: totals.checkpoint, previous: null };
    const runs = partRuns(
      plan.parts.map((p) => ({ name: p.part.name, size: p.input.size })),
      totals.checkpoint,
    );
    this.loading += 1;
    try {
      for (const run of runs) {
        await this.loadPart(row, plan.parts[run.index], run.skipThrough, ctx, totals, state, run.progressAt, options);
      }
    } finally {
      this.loading -= 1;
    }
  }

  /**
   * An import's share of IMPORT_APPLY_CONCURRENCY, which is the process's: two imports at once apply a
   * batch each, as more batches in flight only contend for the same cores, and a small file is then not
   * cut in two (a state's rosters two at a time: 27.6-29.2 s against 30.6-33.5 s with two batches each;
   * bench/RESULTS.md).
   */
  private share(): number {
    return Math.max(1, Math.floor(this.config.importApplyConcurrency / Math.max(1, this.loading)));
  }

  /**
   * Reads one part and applies it batch by batch: while the database applies up to
   * its share of IMPORT_APPLY_CONCURRENCY batches (each in a connection of its own; one while other work is busy,
   * see ImportPace), the next one is parsed. Every batch of a part has committed before the next part starts
   * (users.csv needs the schools of orgs.csv).
   */
  private async loadPart(
    row: ImportRow,
    planned: PlannedPart,
    skipThrough: number,
    ctx: BatchContext,
    totals: ImportTotals,
    state: LoadState,
    progressAt: (bytesRead: number) => number,
    options: LoadOptions,
  ): Promise<void> {
    const source = await openRecords(planned);
    const inFlight: InFlight[] = [];
    let newest = -1;
    let dispatched = 0;
    // Tables the district's rows are missing from in the statistics, analysed before the second batch is planned.
    let sparse: SparseTable[] = [];
    // Batches settle in the order they commit in; the totals and the progress bar follow that order.
    const settle = async (batch: InFlight): Promise<void> => {
      const next = await batch.done;
      state.pace.ownTransaction();
      if (batch.job.seq > newest) {
        newest = batch.job.seq;
        Object.assign(totals, next);
      }
      options.onProgress?.({ importId: row.id, part: planned.part.name, totals });
    };
    const dispatch = async (batch: Batch): Promise<void> => {
      options.signal?.throwIfAborted();
      const progress = progressAt(source.bytesRead());
      if (dispatched === 1 && sparse.length) {
        // The first batch commits, then the statistics learn of its rows: a file of one batch never waits.
        while (inFlight.length) await settle(inFlight.shift()!);
        await this.imports.analyze(sparse);
      }
      const limit = Math.min(await state.pace.limit(), this.share());
      while (inFlight.length >= limit) await settle(inFlight.shift()!);
      // Checked before the first batch is applied: where the statistics already expect a batch's rows of
      // the district, nothing is analysed and the first batch overlaps the next as every other batch does.
      if (dispatched === 0 && planned.part.plannedOn) {
        sparse = await this.imports.sparseTables(planned.part.plannedOn, row.districtId, batch.rows.count);
      }
      const checkpoint = { part: planned.part.name, line: batch.lastLine };
      const job: BatchJob = { seq: state.seq, batch, planned, after: state.checkpoint, checkpoint, progress, previous: state.previous };
      const applying = this.applyInTurn(row, job, ctx, totals.ignoredColumns);
      // Handled when it settles; until then a failure must not count as unhandled.
      applying.done.catch(() => undefined);
      inFlight.push(applying);
      state.seq += 1;
      state.checkpoint = checkpoint;
      state.previous = applying;
      await applying.started;
      dispatched += 1;
    };
    try {
      const share = (): number => this.share();
      // Read for each batch: the share changes as other imports start and end.
      const size = {
        maxRows: this.config.importBatchRows,
        get concurrency(): number {
          return share();
        },
      };
      for await (const batch of batchesOf(planned, source, size, skipThrough)) await dispatch(batch);
      while (inFlight.length) await settle(inFlight.shift()!);
    } finally {
      // When reading or a batch failed, the batches being applied still finish (or fail) before the file closes.
      await Promise.allSettled(inFlight.map((b) => b.done));
      source.close();
    }
  }

  /** Applies a batch, trying again when it lost a deadlock or its predecessor had to be tried again. */
  private applyInTurn(row: ImportRow, job: BatchJob, ctx: BatchContext, ignoredColumns: string[]): InFlight {
    let markStarted = (): void => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const done = (async (): Promise<ImportTotals> => {
      try {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await this.flush(row, job, ctx, ignoredColumns, markStarted);
          } catch (error) {
            // The next batch must never wait for a turn this batch no longer takes.
            markStarted();
            const outOfTurn = error instanceof OutOfTurnError;
            if (attempt >= MAX_BATCH_TRIES || !(outOfTurn || pgError(error)?.code === DEADLOCK_DETECTED)) throw error;
            this.logger.warn(
              { importId: row.id, line: job.checkpoint.line, attempt, reason: outOfTurn ? 'predecessor rolled back' : 'deadlock' },
              'import batch retried',
            );
            // A predecessor that failed for good fails this batch with its error.
            if (outOfTurn) await job.previous!.done;
          }
        }
      } finally {
        // Settled batches must not keep each other (and their rows) alive in a chain.
        job.previous = null;
      }
    })();
    return { job, started, done };
  }

  /**
   * One batch, one transaction: staged rows applied, row errors kept, counts and checkpoint saved.
   * Batches overlap, but each commits only after the one before it (the advisory lock of a batch's
   * turn is held until its transaction ends), and only if that one committed: the checkpoint of the
   * last commit always covers every batch before it, which is what a resumed import relies on.
   */
  private async flush(
    row: ImportRow,
    job: BatchJob,
    ctx: BatchContext,
    ignoredColumns: string[],
    markStarted: () => void,
  ): Promise<ImportTotals> {
    const { batch, planned } = job;
    const { part } = planned;
    return this.uow.run(ctx.actor, async (tx) => {
      await this.imports.takeBatchTurn(tx.em, row.id, job.seq);
      markStarted();
      const stage = await BulkStage.create(tx.em, part.columns, { durable: false });
      await stage.copyRows(tx.em, batch.rows);
      await stage.copyErrors(tx.em, batch.errors);
      let applied: Applied = { created: 0, updated: 0 };
      if (batch.rows.count) {
        await stage.analyze(tx.em, part.beforeApply?.(ctx));
        applied = await part.apply(tx.em, stage, ctx);
      }
      if (part.remembersKeys && batch.keys.length) await this.imports.rememberKeys(tx.em, row.id, batch.keys);
      if (job.previous) await this.imports.takeBatchTurn(tx.em, row.id, job.seq - 1);
      const current = await this.imports.lockTotals(tx.em, row.id);
      if (!current || !sameCheckpoint(current.checkpoint, job.after))
        throw new OutOfTurnError(`batch ending on line ${job.checkpoint.line} is out of turn`);
      const failedLines = await this.imports.keepStagedErrors(tx.em, stage, row.id, partLabel(row.kind, planned));
      const updated = totalsAfterBatch(current, batch, applied, failedLines, {
        ignoredColumns,
        progress: job.progress,
        checkpoint: job.checkpoint,
      });
      await this.imports.saveTotals(tx.em, row.id, updated);
      return updated;
    });
  }
}
