import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GapScansService } from '../connectivity/gap-scans.service.js';
import { ADVISORY_LOCKS } from '../database/advisory-locks.js';
import { BulkStage, CopyBuffer, tuneBulkTransaction } from '../database/bulk-stage.js';
import { pgError } from '../database/pg-errors.js';
import { sql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { planImport, readHeader, type ImportPlan, type PlannedPart } from './import-plan.js';
import { ImportsRepository, type Checkpoint, type ImportRow, type ImportTotals } from './imports.repository.js';
import { csvRecordChunks } from './parsing/csv-records.js';
import { ImportFileError, type RowError } from './parsing/file-error.js';
import { describeHeaderProblems, mapHeader } from './parsing/headers.js';
import { jsonItems } from './parsing/json-items.js';
import type { Applied, BatchContext, FieldProblem, Fields, Mapped } from './parts/part.js';

/** Imports after which the gap scan runs again for the district. */
const FOLLOW_UP_SCAN_KINDS: readonly string[] = ['login-events', 'chromeos-devices', 'hotspot-usage'];

/** The advisory lock (one bigint: the import's hash, then the batch's number) a batch holds until it commits. */
const BATCH_TURN = '(hashtext($1)::bigint << 32) | $2::bigint';

export interface ImportProgress {
  importId: string;
  part: string;
  totals: ImportTotals;
}

export interface RunOptions {
  /** False while the queue will retry: an unexpected error then re-queues the import instead of failing it. */
  finalAttempt?: boolean;
  /** Called after each committed batch (the CLI's progress bar). */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborted when the worker shuts down past its budget: no new batch starts, the import resumes later. */
  signal?: AbortSignal;
}

/** Another runner holds the import (a stalled job picked up twice): this attempt is retried later. */
export class ImportBusyError extends Error {}

type SourceRecord = { line: number; fields: Fields } | { line: number; problems: FieldProblem[] };

/**
 * Batches applied at once, each in a transaction of its own: PostgreSQL runs one statement on one core,
 * and the machine the imports are sized for has two. They still commit in file order (see flush()).
 */
const APPLY_CONCURRENCY = 2;
/** Below this, a batch costs more in fixed work than running beside another saves. */
const MIN_BATCH_ROWS = 2_000;
/** Tries of one batch that lost a deadlock to the batch beside it, or found its predecessor undone. */
const MAX_BATCH_TRIES = 5;
const DEADLOCK_DETECTED = '40P01';

/** The records of one batch, mapped and encoded for COPY as they come; one transaction applies them. */
class Batch {
  readonly rows = new CopyBuffer();
  readonly errors = new CopyBuffer();
  readonly keys: string[] = [];
  size = 0;
  errorLines = 0;
  skipped = 0;
  lastLine = 0;

  add(line: number, mapped: Mapped): void {
    this.size += 1;
    this.lastLine = line;
    if ('row' in mapped) {
      this.rows.add(line, mapped.row);
      if (mapped.key) this.keys.push(mapped.key);
    } else if ('errors' in mapped) {
      this.errorLines += 1;
      for (const e of mapped.errors) this.errors.add(line, [e.field, e.message]);
      if (mapped.key) this.keys.push(mapped.key);
    } else {
      this.skipped += 1;
    }
  }
}

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
  seq: number;
  /** The checkpoint the last dispatched batch will leave. */
  checkpoint: Checkpoint | null;
  previous: InFlight | null;
}

/** The batch before this one rolled back: this one may not commit past it. */
class OutOfTurnError extends Error {}

const sameCheckpoint = (a: Checkpoint | null, b: Checkpoint | null): boolean => (a?.part ?? null) === (b?.part ?? null) && (a?.line ?? null) === (b?.line ?? null);

function addStats(into: Record<string, number>, more: Record<string, number> | undefined): Record<string, number> {
  const out = { ...into };
  for (const [key, value] of Object.entries(more ?? {})) out[key] = (out[key] ?? 0) + value;
  return out;
}

function totalsOf(row: ImportRow): ImportTotals {
  const { rows, created, updated, unchanged, failed, skipped, stats, ignoredColumns, progress, checkpoint } = row;
  return { rows, created, updated, unchanged, failed, skipped, stats, ignoredColumns, progress, checkpoint };
}

/**
 * Runs one import: streams its file, applies it batch by batch (COPY into a staging table, then
 * set-based upserts; one transaction per batch, which also records the row errors, the counts and a
 * checkpoint), and ends it. A retried run resumes after the last committed batch. The job handler
 * and the CLI both run imports through here.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger('imports');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly imports: ImportsRepository,
    private readonly gapScans: GapScansService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs or resumes the import to its end; returns it as it ended (null if there is no such import). */
  async run(importId: string, options: RunOptions = {}): Promise<ImportRow | null> {
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      const [held] = (await lock.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [ADVISORY_LOCKS.importRun, importId])) as { ok: boolean }[];
      if (!held?.ok) throw new ImportBusyError(`import ${importId} is being run elsewhere`);
      try {
        return await this.runLocked(importId, options);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [ADVISORY_LOCKS.importRun, importId]);
      }
    } finally {
      await lock.release();
    }
  }

  private async runLocked(importId: string, options: RunOptions): Promise<ImportRow | null> {
    const claimed = await this.uow.run({ tokenId: null, name: SYSTEM_ACTOR }, (tx) => this.imports.claim(tx.em, importId));
    const row = await this.imports.findById(importId, null);
    if (!row || !claimed) return row;
    const actor: Actor = { tokenId: row.requestedBy, name: row.requestedByName ?? (row.origin === 'cli' ? 'import-cli' : SYSTEM_ACTOR) };
    const ctx: BatchContext = { districtId: row.districtId, importId: row.id, actor };
    const totals = totalsOf(row);
    this.logger.log({ importId, kind: row.kind, attempt: row.attempts, resumeFrom: row.checkpoint }, 'import started');
    let plan: ImportPlan | null = null;
    try {
      plan = await this.plan(row);
      totals.ignoredColumns = await this.checkHeaders(row, plan);
      await this.load(row, plan, ctx, totals, options);
      await this.complete(row, plan, ctx, totals);
      options.onProgress?.({ importId, part: '', totals });
    } catch (error) {
      if (error instanceof ImportFileError) {
        await this.fail(row, plan, ctx, error.message, error.errors);
      } else if (options.signal?.aborted) {
        this.logger.warn({ importId }, 'import interrupted by a shutdown; it will be resumed');
        await this.uow.run(actor, (tx) => this.imports.requeue(tx.em, importId, 'Interrupted by a worker shutdown; the import will resume where it stopped.'));
        throw error;
      } else if (options.finalAttempt ?? true) {
        this.logger.error({ importId, err: error }, 'import failed');
        await this.fail(row, plan, ctx, `The import stopped on an unexpected error after ${row.attempts} attempt(s); the worker log has details for import ${importId}.`, []);
        throw error;
      } else {
        this.logger.warn({ importId, err: error }, 'import attempt failed; it will be retried');
        await this.uow.run(actor, (tx) => this.imports.requeue(tx.em, importId, `Attempt ${row.attempts} failed; the import will resume where it stopped.`));
        throw error;
      }
    } finally {
      plan?.close();
    }
    return this.imports.findById(importId, null);
  }

  private async plan(row: ImportRow): Promise<ImportPlan> {
    try {
      return await planImport(row.kind, row.filePath, row.fileName);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') {
        throw new ImportFileError(`The file of this import is no longer at ${row.origin === 'upload' ? 'the import directory' : row.filePath}.`);
      }
      throw error;
    }
  }

  private partLabel(row: ImportRow, planned: PlannedPart): string | null {
    return row.kind === 'oneroster' ? planned.part.name : null;
  }

  /** Every CSV header is checked before anything is written: a mismatch rejects the whole file. */
  private async checkHeaders(row: ImportRow, plan: ImportPlan): Promise<string[]> {
    const problems: RowError[] = [];
    const summaries: string[] = [];
    const ignored: string[] = [];
    for (const planned of plan.parts.filter((p) => p.format === 'csv')) {
      const label = this.partLabel(row, planned);
      const result = mapHeader(await readHeader(planned.input), planned.part.headers);
      if ('problems' in result) {
        problems.push(...result.problems.map((p) => ({ part: label, line: 1, field: p.field, message: p.message })));
        summaries.push(describeHeaderProblems(result.problems, label));
      } else {
        ignored.push(...result.mapping.ignored);
      }
    }
    if (problems.length) throw new ImportFileError(`${summaries.join(' ')} Nothing was imported.`, problems);
    return ignored;
  }

  private async load(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals, options: RunOptions): Promise<void> {
    const resume = totals.checkpoint;
    const resumeAt = resume ? Math.max(0, plan.parts.findIndex((p) => p.part.name === resume.part)) : 0;
    const totalBytes = plan.parts.reduce((sum, p) => sum + p.input.size, 0) || 1;
    const state: LoadState = { seq: 0, checkpoint: resume, previous: null };
    let doneBytes = 0;
    for (const [index, planned] of plan.parts.entries()) {
      if (index >= resumeAt) {
        const skipThrough = index === resumeAt && resume ? resume.line : 0;
        const progressAt = (read: number): number => Math.min(0.99, (doneBytes + read) / totalBytes);
        await this.loadPart(row, planned, skipThrough, ctx, totals, state, progressAt, options);
      }
      doneBytes += planned.input.size;
    }
  }

  /**
   * Reads one part and applies it batch by batch: while the database applies up to APPLY_CONCURRENCY
   * batches, the next one is parsed. Every batch of a part has committed before the next part starts
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
    options: RunOptions,
  ): Promise<void> {
    let bytesRead = 0;
    const source = await planned.input.open();
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytesRead += chunk.length;
        done(null, chunk);
      },
    });
    source.on('error', (error) => counted.destroy(error));
    source.pipe(counted);
    const records = planned.format === 'csv' ? this.csvSource(counted, planned) : this.jsonSource(counted, planned);
    const inFlight: InFlight[] = [];
    let newest = -1;
    // Batches settle in the order they commit in; the totals and the progress bar follow that order.
    const settle = async (batch: InFlight): Promise<void> => {
      const next = await batch.done;
      if (batch.job.seq > newest) {
        newest = batch.job.seq;
        Object.assign(totals, next);
      }
      options.onProgress?.({ importId: row.id, part: planned.part.name, totals });
    };
    const dispatch = async (batch: Batch): Promise<void> => {
      options.signal?.throwIfAborted();
      const progress = progressAt(bytesRead);
      if (inFlight.length >= APPLY_CONCURRENCY) await settle(inFlight.shift()!);
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
    };
    let batch = new Batch();
    let read = 0;
    let batchRows = this.config.importBatchRows;
    try {
      for await (const chunk of records) {
        read += chunk.length;
        // A file too small to fill APPLY_CONCURRENCY batches is cut into that many, from its size and
        // the bytes a record has taken so far, so that it too is applied on every core.
        const expected = (planned.input.size * read) / Math.max(bytesRead, 1);
        batchRows = Math.min(this.config.importBatchRows, Math.max(MIN_BATCH_ROWS, Math.ceil(expected / APPLY_CONCURRENCY)));
        for (const record of chunk) {
          if (record.line <= skipThrough) continue;
          batch.add(record.line, 'problems' in record ? { errors: record.problems } : planned.part.map(record.fields));
          if (batch.size >= batchRows) {
            await dispatch(batch);
            batch = new Batch();
          }
        }
      }
      if (batch.size) await dispatch(batch);
      while (inFlight.length) await settle(inFlight.shift()!);
    } finally {
      // When reading or a batch failed, the batches being applied still finish (or fail) before the file closes.
      await Promise.allSettled(inFlight.map((b) => b.done));
      source.destroy();
    }
  }

  private async *csvSource(input: Readable, planned: PlannedPart): AsyncGenerator<SourceRecord[]> {
    let width = 0;
    let used: [number, string][] | null = null;
    for await (const chunk of csvRecordChunks(input)) {
      const out: SourceRecord[] = [];
      for (const { line, cells } of chunk) {
        if (!used) {
          const result = mapHeader(cells, planned.part.headers);
          if ('problems' in result) throw new ImportFileError(describeHeaderProblems(result.problems, planned.part.name));
          width = result.mapping.fields.length;
          used = result.mapping.fields.flatMap((field, i): [number, string][] => (field ? [[i, field]] : []));
          continue;
        }
        if (cells.length > width && cells.slice(width).some((c) => c.trim() !== '')) {
          out.push({ line, problems: [{ field: null, message: `has ${cells.length} fields; the header has ${width}` }] });
          continue;
        }
        const fields: Fields = {};
        for (const [i, field] of used) {
          const value = cells[i]?.trim();
          if (value) fields[field] = value;
        }
        out.push({ line, fields });
      }
      if (out.length) yield out;
    }
  }

  private async *jsonSource(input: Readable, planned: PlannedPart): AsyncGenerator<SourceRecord[]> {
    const json = planned.part.json!;
    for await (const { line, value } of jsonItems(input, json.key)) {
      const fields = json.fields(value);
      yield [Array.isArray(fields) ? { line, problems: fields } : { line, fields }];
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
            this.logger.warn({ importId: row.id, line: job.checkpoint.line, attempt, reason: outOfTurn ? 'predecessor rolled back' : 'deadlock' }, 'import batch retried');
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
  private async flush(row: ImportRow, job: BatchJob, ctx: BatchContext, ignoredColumns: string[], markStarted: () => void): Promise<ImportTotals> {
    const { batch, planned } = job;
    const { part } = planned;
    return this.uow.run(ctx.actor, async (tx) => {
      await sql(tx.em, `SELECT pg_advisory_xact_lock(${BATCH_TURN})`, [row.id, job.seq]);
      markStarted();
      await tuneBulkTransaction(tx.em, { durable: false });
      const stage = await BulkStage.create(tx.em, part.columns);
      await stage.copyRows(tx.em, batch.rows);
      await stage.copyErrors(tx.em, batch.errors);
      let applied: Applied = { created: 0, updated: 0 };
      if (batch.rows.count) {
        await stage.analyze(tx.em);
        applied = await part.apply(tx.em, stage, ctx);
      }
      if (part.remembersKeys && batch.keys.length) await this.imports.rememberKeys(tx.em, row.id, batch.keys);
      if (job.previous) await sql(tx.em, `SELECT pg_advisory_xact_lock(${BATCH_TURN})`, [row.id, job.seq - 1]);
      const current = await this.imports.lockTotals(tx.em, row.id);
      if (!current || !sameCheckpoint(current.checkpoint, job.after)) throw new OutOfTurnError(`batch ending on line ${job.checkpoint.line} is out of turn`);
      const failedLines = await this.imports.keepStagedErrors(tx.em, row.id, this.partLabel(row, planned));
      const updated: ImportTotals = {
        ...current,
        rows: current.rows + batch.size,
        created: current.created + applied.created,
        updated: current.updated + applied.updated,
        unchanged: current.unchanged + batch.rows.count - applied.created - applied.updated - (failedLines - batch.errorLines),
        failed: current.failed + failedLines,
        skipped: current.skipped + batch.skipped,
        stats: addStats(current.stats, applied.stats),
        ignoredColumns,
        progress: job.progress,
        checkpoint: job.checkpoint,
      };
      await this.imports.saveTotals(tx.em, row.id, updated);
      return updated;
    });
  }

  /**
   * The one place an import is marked completed: the parts' final steps (a bulk roster withdraws the
   * students it did not name) run in the same transaction. Follow-up work for a completed import
   * belongs here, e.g. tx.enqueue() of a job that runs once this commits.
   */
  private async complete(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals): Promise<void> {
    const final = await this.uow.run(ctx.actor, async (tx) => {
      await tuneBulkTransaction(tx.em, { durable: true });
      let stats = totals.stats;
      for (const { part } of plan.parts) {
        if (part.settle) await part.settle(tx.em, ctx);
        if (part.finish) stats = addStats(stats, await part.finish(tx.em, ctx));
      }
      await this.imports.forgetKeys(tx.em, row.id);
      const completed: ImportTotals = { ...totals, stats, progress: 1 };
      await this.imports.saveTotals(tx.em, row.id, completed);
      await this.imports.finish(tx.em, row.id, 'completed', null);
      // New logins, Google sync or carrier data change what a scan finds: look again once this commits.
      if (FOLLOW_UP_SCAN_KINDS.includes(row.kind)) await this.gapScans.requestAfterImport(tx, row.districtId);
      const { rows, created, updated, unchanged, failed, skipped } = completed;
      tx.audit({ districtId: row.districtId, entityType: 'import', entityId: row.id, action: 'complete', after: { rows, created, updated, unchanged, failed, skipped, stats } });
      return completed;
    });
    Object.assign(totals, final);
    this.logger.log({ importId: row.id, kind: row.kind, rows: final.rows, created: final.created, updated: final.updated, failed: final.failed }, 'import completed');
    await this.discardFile(row);
  }

  private async fail(row: ImportRow, plan: ImportPlan | null, ctx: BatchContext, summary: string, errors: RowError[]): Promise<void> {
    await this.uow.run(ctx.actor, async (tx) => {
      await tuneBulkTransaction(tx.em, { durable: true });
      // What the batches committed before the failure stays, and so does its effect.
      for (const { part } of plan?.parts ?? []) {
        if (part.settle) await part.settle(tx.em, ctx);
      }
      await this.imports.insertErrors(tx.em, row.id, errors);
      await this.imports.forgetKeys(tx.em, row.id);
      await this.imports.finish(tx.em, row.id, 'failed', summary);
      tx.audit({ districtId: row.districtId, entityType: 'import', entityId: row.id, action: 'fail', after: { errorSummary: summary } });
    });
    this.logger.warn({ importId: row.id, kind: row.kind }, 'import failed');
    await this.discardFile(row);
  }

  /** An uploaded file holds student data: it is kept only until its import ends. */
  private async discardFile(row: ImportRow): Promise<void> {
    if (row.fileOwned) await rm(row.filePath, { force: true });
  }
}
