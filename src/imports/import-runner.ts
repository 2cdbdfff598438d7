import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import { ADVISORY_LOCKS } from '../database/advisory-locks.js';
import { q, run } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { BatchPipeline, type LoadOptions } from './batch-pipeline.js';
import { DryRun } from './dry-run.js';
import { ImportLifecycle } from './import-lifecycle.js';
import { ImportMappings } from './import-mappings.js';
import { checkPlan, partLabel, planImport, readHeader, type ImportPlan, type PlannedPart } from './import-plan.js';
import { totalsOf } from './import-totals.js';
import { ImportsRepository, type ImportRow } from './imports.repository.js';
import { ImportFileError, type RowError } from './parsing/file-error.js';
import { mapHeader } from './parsing/headers.js';
import { openRecords } from './import-sources.js';
import type { BatchContext, ValueTally } from './parts/part.js';

export interface RunOptions extends LoadOptions {
  /** False while the queue will retry: an unexpected error then re-queues the import instead of failing it. */
  finalAttempt?: boolean;
}

/** Lines of a refused value an error names. */
const PRECHECK_LINES = 5;

/** Another runner holds the import (a stalled job picked up twice): this attempt is retried later. */
export class ImportBusyError extends Error {}

/**
 * Runs one import: takes it (one runner per import), checks its headers, loads it through the batch
 * pipeline and ends it. The job handler and the CLI both run imports through here.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger('imports');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly imports: ImportsRepository,
    private readonly pipeline: BatchPipeline,
    private readonly lifecycle: ImportLifecycle,
    private readonly dryRun: DryRun,
    private readonly mappings: ImportMappings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Runs or resumes the import to its end; returns it as it ended (null if there is no such import).
   * The lock is a session's, on a connection of its own, held across the batches' transactions.
   */
  async run(importId: string, options: RunOptions = {}): Promise<ImportRow | null> {
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      const held = await run<{ ok: boolean }>(
        lock.manager,
        q`SELECT pg_try_advisory_lock(${ADVISORY_LOCKS.importRun}, hashtext(${importId})) AS ok`,
      );
      if (!held.rows[0]?.ok) throw new ImportBusyError(`import ${importId} is being run elsewhere`);
      try {
        const districtId = await this.takeDistrict(lock.manager, importId);
        try {
          return await this.runLocked(importId, options);
        } finally {
          if (districtId) await run(lock.manager, q`SELECT pg_advisory_unlock(${ADVISORY_LOCKS.importDistrict}, hashtext(${districtId}))`);
        }
      } finally {
        await run(lock.manager, q`SELECT pg_advisory_unlock(${ADVISORY_LOCKS.importRun}, hashtext(${importId}))`);
      }
    } finally {
      await lock.release();
    }
  }

  /**
   * Waits for the district's other import, if one is running (the worker runs imports of two districts
   * at once, and `npm run import` may run beside it); returns the district, whose lock this session now
   * holds, or null for an import that does not exist.
   */
  private async takeDistrict(em: EntityManager, importId: string): Promise<string | null> {
    const tried = await run<{ districtId: string; ok: boolean }>(
      em,
      q`SELECT district_id AS "districtId", pg_try_advisory_lock(${ADVISORY_LOCKS.importDistrict}, hashtext(district_id::text)) AS ok
        FROM imports WHERE id = ${importId}`,
    );
    const row = tried.rows[0];
    if (!row) return null;
    if (!row.ok) {
      this.logger.log({ importId, districtId: row.districtId }, "import waiting for the district's running import to end");
      await run(em, q`SELECT pg_advisory_lock(${ADVISORY_LOCKS.importDistrict}, hashtext(${row.districtId}))`);
    }
    return row.districtId;
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
      // Checked at upload already; checked again for a file given to an earlier version, or changed since.
      totals.ignoredColumns = (await checkPlan(row.kind, plan)).ignored;
      ctx.unit = plan.format === 'json' ? 'item' : 'line';
      await this.precheck(row, plan, ctx);
      if (row.dryRun) {
        await this.dryRun.run(row, plan, ctx, totals, options);
      } else {
        await this.pipeline.load(row, plan, ctx, totals, options);
        await this.lifecycle.complete(row, plan, ctx, totals);
      }
      options.onProgress?.({ importId, part: '', totals });
    } catch (error) {
      if (error instanceof ImportFileError) {
        await this.lifecycle.fail(row, plan, ctx, error.message, error.errors);
      } else if (options.signal?.aborted) {
        this.logger.warn({ importId }, 'import interrupted by a shutdown; it will be resumed');
        await this.lifecycle.requeue(actor, importId, 'Interrupted by a worker shutdown; the import will resume where it stopped.');
        throw error;
      } else if (options.finalAttempt ?? true) {
        this.logger.error({ importId, err: error }, 'import failed');
        await this.lifecycle.fail(
          row,
          plan,
          ctx,
          `The import stopped on an unexpected error after ${row.attempts} attempt(s); the worker log has details for import ${importId}.`,
          [],
        );
        throw error;
      } else {
        this.logger.warn({ importId, err: error }, 'import attempt failed; it will be retried');
        await this.lifecycle.requeue(actor, importId, `Attempt ${row.attempts} failed; the import will resume where it stopped.`);
        throw error;
      }
    } finally {
      plan?.close();
    }
    return this.imports.findById(importId, null);
  }

  /** The file's parts, read through the district's column mapping where one fits the header. */
  private async plan(row: ImportRow): Promise<ImportPlan> {
    try {
      const plan = await planImport(row.kind, row.filePath, row.fileName, this.config.zipLimits);
      try {
        await this.mappings.apply(plan, row.districtId, row.kind);
      } catch (error) {
        plan.close();
        throw error;
      }
      return plan;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') {
        throw new ImportFileError(
          `The file of this import is no longer at ${row.origin === 'upload' ? 'the import directory' : row.filePath}.`,
        );
      }
      throw error;
    }
  }

  /**
   * Parts that check a field's values across the file (an asset export's status labels) read it once
   * first, counting each value: a refusal names each refused value once, with its count and first lines.
   */
  private async precheck(row: ImportRow, plan: ImportPlan, ctx: BatchContext): Promise<void> {
    const refused: RowError[] = [];
    for (const planned of plan.parts) {
      const check = planned.part.precheck;
      if (!check || !(await this.hasColumn(planned, check.field))) continue;
      const values = new Map<string, ValueTally>();
      const source = await openRecords(planned);
      try {
        for await (const chunk of source.records) {
          for (const record of chunk) {
            const value = 'fields' in record ? record.fields[check.field] : undefined;
            if (value === undefined) continue;
            const tally = values.get(value) ?? { count: 0, lines: [] };
            tally.count += 1;
            if (tally.lines.length < PRECHECK_LINES) tally.lines.push(record.line);
            values.set(value, tally);
          }
        }
      } finally {
        source.close();
      }
      const label = partLabel(row.kind, planned);
      refused.push(...(await check.check(this.db.manager, ctx, values)).map((e) => ({ ...e, part: label })));
    }
    if (refused.length) {
      throw new ImportFileError(
        `${refused.length} value(s) the district has not mapped: ${refused.map((e) => e.message).join(' ')} Nothing was imported.`,
        refused,
      );
    }
  }

  /** Whether the part's file has a column for the field (a CSV without one need not be read for it). */
  private async hasColumn(planned: PlannedPart, field: string): Promise<boolean> {
    if (planned.format !== 'csv') return true;
    const result = mapHeader(await readHeader(planned.input), planned.part.headers);
    return !('mapping' in result) || result.mapping.fields.includes(field);
  }
}
