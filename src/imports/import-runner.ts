import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/audit.repository.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GapScansService } from '../connectivity/gap-scans.service.js';
import { sql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { planImport, readHeader, type ImportPlan, type PlannedPart } from './import-plan.js';
import { ImportsRepository, type ImportRow, type ImportTotals } from './imports.repository.js';
import { csvRecords } from './parsing/csv-records.js';
import { ImportFileError, type RowError } from './parsing/file-error.js';
import { describeHeaderProblems, mapHeader, type HeaderMapping } from './parsing/headers.js';
import { jsonItems } from './parsing/json-items.js';
import type { Applied, BatchContext, FieldProblem, Fields, Mapped } from './parts/part.js';
import { copyRows, createStage, type Cell } from './staging.js';

/** Imports after which the gap scan runs again for the district. */
const FOLLOW_UP_SCAN_KINDS: readonly string[] = ['login-events', 'chromeos-devices', 'hotspot-usage'];

/** Advisory lock class of running imports: one runner per import, whatever retries or workers do. */
const IMPORT_LOCK_CLASS = 727_002;

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
}

/** Another runner holds the import (a stalled job picked up twice): this attempt is retried later. */
export class ImportBusyError extends Error {}

type SourceRecord = { line: number; fields: Fields } | { line: number; problems: FieldProblem[] };

/** The records of one batch, mapped; one transaction applies them. */
class Batch {
  readonly rows: Cell[][] = [];
  readonly errors: RowError[] = [];
  readonly keys: Cell[][] = [];
  size = 0;
  errorLines = 0;
  skipped = 0;
  lastLine = 0;

  add(line: number, mapped: Mapped): void {
    this.size += 1;
    this.lastLine = line;
    if ('row' in mapped) {
      this.rows.push([line, ...mapped.row]);
      if (mapped.key) this.keys.push([mapped.key]);
    } else if ('errors' in mapped) {
      this.errorLines += 1;
      for (const e of mapped.errors) this.errors.push({ line, field: e.field, message: e.message });
      if (mapped.key) this.keys.push([mapped.key]);
    } else {
      this.skipped += 1;
    }
  }
}

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
      const [held] = (await lock.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [IMPORT_LOCK_CLASS, importId])) as { ok: boolean }[];
      if (!held?.ok) throw new ImportBusyError(`import ${importId} is being run elsewhere`);
      try {
        return await this.runLocked(importId, options);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [IMPORT_LOCK_CLASS, importId]);
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
        await this.fail(row, ctx, error.message, error.errors);
      } else if (options.finalAttempt ?? true) {
        this.logger.error({ importId, err: error }, 'import failed');
        await this.fail(row, ctx, `The import stopped on an unexpected error after ${row.attempts} attempt(s); the worker log has details for import ${importId}.`, []);
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
    let doneBytes = 0;
    for (const [index, planned] of plan.parts.entries()) {
      if (index >= resumeAt) {
        const skipThrough = index === resumeAt && resume ? resume.line : 0;
        await this.loadPart(row, planned, skipThrough, ctx, totals, (read) => Math.min(0.99, (doneBytes + read) / totalBytes), options);
      }
      doneBytes += planned.input.size;
    }
  }

  private async loadPart(
    row: ImportRow,
    planned: PlannedPart,
    skipThrough: number,
    ctx: BatchContext,
    totals: ImportTotals,
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
    // The next batch is parsed while PostgreSQL applies the last one; at most two are ever in memory.
    let applying: Promise<void> = Promise.resolve();
    const apply = async (batch: Batch): Promise<void> => {
      const progress = progressAt(bytesRead);
      await applying;
      applying = this.flush(row, planned, batch, ctx, totals, progress, options);
      // Handled by the next await of it; until then a failure must not count as unhandled.
      applying.catch(() => undefined);
    };
    let batch = new Batch();
    try {
      for await (const record of records) {
        if (record.line <= skipThrough) continue;
        batch.add(record.line, 'problems' in record ? { errors: record.problems } : planned.part.map(record.fields));
        if (batch.size >= this.config.importBatchRows) {
          await apply(batch);
          batch = new Batch();
        }
      }
      if (batch.size) await apply(batch);
      await applying;
    } finally {
      // When reading failed, the batch being applied still finishes (or fails) before the file closes.
      await applying.catch(() => undefined);
      source.destroy();
    }
  }

  private async *csvSource(input: Readable, planned: PlannedPart): AsyncGenerator<SourceRecord> {
    let mapping: HeaderMapping | null = null;
    for await (const { line, cells } of csvRecords(input)) {
      if (!mapping) {
        const result = mapHeader(cells, planned.part.headers);
        if ('problems' in result) throw new ImportFileError(describeHeaderProblems(result.problems, planned.part.name));
        mapping = result.mapping;
        continue;
      }
      const width = mapping.fields.length;
      if (cells.length > width && cells.slice(width).some((c) => c.trim() !== '')) {
        yield { line, problems: [{ field: null, message: `has ${cells.length} fields; the header has ${width}` }] };
        continue;
      }
      const fields: Fields = {};
      mapping.fields.forEach((field, i) => {
        const value = cells[i]?.trim();
        if (field && value) fields[field] = value;
      });
      yield { line, fields };
    }
  }

  private async *jsonSource(input: Readable, planned: PlannedPart): AsyncGenerator<SourceRecord> {
    const json = planned.part.json!;
    for await (const { line, value } of jsonItems(input, json.key)) {
      const fields = json.fields(value);
      yield Array.isArray(fields) ? { line, problems: fields } : { line, fields };
    }
  }

  /** One batch, one transaction: staged rows applied, row errors kept, counts and checkpoint saved. */
  private async flush(
    row: ImportRow,
    planned: PlannedPart,
    batch: Batch,
    ctx: BatchContext,
    totals: ImportTotals,
    progress: number,
    options: RunOptions,
  ): Promise<void> {
    const { part } = planned;
    const next = await this.uow.run(ctx.actor, async (tx) => {
      await createStage(tx.em, part.columns);
      await copyRows(tx.em, 'import_stage', ['line', ...part.columns.map((c) => c.name)], batch.rows);
      await copyRows(tx.em, 'import_stage_errors', ['line', 'field', 'message'], batch.errors.map((e) => [e.line, e.field, e.message]));
      let applied: Applied = { created: 0, updated: 0 };
      if (batch.rows.length) {
        // Temporary tables have no statistics until analysed; the joins of apply() need them.
        await sql(tx.em, 'ANALYZE import_stage');
        applied = await part.apply(tx.em, ctx);
      }
      if (part.remembersKeys && batch.keys.length) {
        await copyRows(tx.em, 'import_stage_keys', ['key'], batch.keys);
        await this.imports.rememberStagedKeys(tx.em, row.id);
      }
      const failedLines = await this.imports.keepStagedErrors(tx.em, row.id, this.partLabel(row, planned));
      const updatedTotals: ImportTotals = {
        ...totals,
        rows: totals.rows + batch.size,
        created: totals.created + applied.created,
        updated: totals.updated + applied.updated,
        unchanged: totals.unchanged + batch.rows.length - applied.created - applied.updated - (failedLines - batch.errorLines),
        failed: totals.failed + failedLines,
        skipped: totals.skipped + batch.skipped,
        stats: addStats(totals.stats, applied.stats),
        progress,
        checkpoint: { part: part.name, line: batch.lastLine },
      };
      await this.imports.saveTotals(tx.em, row.id, updatedTotals);
      return updatedTotals;
    });
    Object.assign(totals, next);
    options.onProgress?.({ importId: row.id, part: part.name, totals });
  }

  /**
   * The one place an import is marked completed: the parts' final steps (a bulk roster withdraws the
   * students it did not name) run in the same transaction. Follow-up work for a completed import
   * belongs here, e.g. tx.enqueue() of a job that runs once this commits.
   */
  private async complete(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals): Promise<void> {
    const final = await this.uow.run(ctx.actor, async (tx) => {
      let stats = totals.stats;
      for (const { part } of plan.parts) {
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

  private async fail(row: ImportRow, ctx: BatchContext, summary: string, errors: RowError[]): Promise<void> {
    await this.uow.run(ctx.actor, async (tx) => {
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
