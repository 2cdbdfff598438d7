import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BulkStage, tuneBulkTransaction } from '../database/bulk-stage.js';
import { sql } from '../database/sql.js';
import type { LoadOptions } from './batch-pipeline.js';
import type { Batch } from './import-batch.js';
import { ImportLifecycle } from './import-lifecycle.js';
import { partLabel, type ImportPlan, type PlannedPart } from './import-plan.js';
import { batchesOf, openRecords } from './import-sources.js';
import { partRuns, totalsAfterBatch } from './import-totals.js';
import { ImportsRepository, type ImportRow, type ImportTotals } from './imports.repository.js';
import type { Applied, BatchContext } from './parts/part.js';

/**
 * A dry run: the import's batches, its parts' final steps and its withdrawals run as a real import's
 * do, one after the other in ONE transaction that is rolled back, so that later parts see what earlier
 * ones would have made (users.csv the schools of orgs.csv) and the counts are the real import's. What
 * is kept goes through other connections: the row errors as each batch finds them, the totals, and
 * the students it would withdraw. No checkpoint, no seen keys, no follow-up scan. The transaction
 * holds the locks of the rows it changed until it ends: a dry run of a whole state is best run at night.
 */
@Injectable()
export class DryRun {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly imports: ImportsRepository,
    private readonly lifecycle: ImportLifecycle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals, options: LoadOptions): Promise<void> {
    await this.imports.clearErrors(this.db.manager, row.id);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const withdrawals = await this.rehearse(runner.manager, row, plan, ctx, totals, options);
      await runner.rollbackTransaction();
      await this.lifecycle.completeDryRun(row, ctx, totals, withdrawals);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** Everything the import would do, in the dry run's transaction; returns the students it would withdraw. */
  private async rehearse(
    em: EntityManager,
    row: ImportRow,
    plan: ImportPlan,
    ctx: BatchContext,
    totals: ImportTotals,
    options: LoadOptions,
  ): Promise<string[]> {
    await tuneBulkTransaction(em, { durable: false });
    // A dry run starts from nothing: an interrupted one runs again from the start.
    const runs = partRuns(
      plan.parts.map((p) => ({ name: p.part.name, size: p.input.size })),
      null,
    );
    for (const run of runs) await this.loadPart(em, row, plan.parts[run.index], ctx, totals, run.progressAt, options);
    const { stats } = await this.lifecycle.finishParts(em, row, plan, ctx, totals);
    totals.stats = stats;
    return this.imports.withdrawalIds(em, row.id);
  }

  private async loadPart(
    em: EntityManager,
    row: ImportRow,
    planned: PlannedPart,
    ctx: BatchContext,
    totals: ImportTotals,
    progressAt: (bytesRead: number) => number,
    options: LoadOptions,
  ): Promise<void> {
    const source = await openRecords(planned);
    try {
      for await (const batch of batchesOf(planned, source, {
        maxRows: this.config.importBatchRows,
        concurrency: this.config.importApplyConcurrency,
      })) {
        await this.apply(em, row, planned, batch, ctx, totals, progressAt(source.bytesRead()));
        options.onProgress?.({ importId: row.id, part: planned.part.name, totals });
      }
    } finally {
      source.close();
    }
  }

  /** One batch, as the pipeline applies it, inside the dry run's transaction; its row errors are kept at once. */
  private async apply(
    em: EntityManager,
    row: ImportRow,
    planned: PlannedPart,
    batch: Batch,
    ctx: BatchContext,
    totals: ImportTotals,
    progress: number,
  ): Promise<void> {
    const { part } = planned;
    const stage = await BulkStage.create(em, part.columns);
    await stage.copyRows(em, batch.rows);
    await stage.copyErrors(em, batch.errors);
    let applied: Applied = { created: 0, updated: 0 };
    if (batch.rows.count) {
      await stage.analyze(em, part.beforeApply?.(ctx));
      applied = await part.apply(em, stage, ctx);
    }
    if (part.remembersKeys && batch.keys.length) await this.imports.rememberKeys(em, row.id, batch.keys);
    const errors = await this.imports.stagedErrors(em, stage);
    const label = partLabel(row.kind, planned);
    // Another connection: the errors stay when the dry run's transaction is rolled back.
    await this.imports.insertErrors(
      this.db.manager,
      row.id,
      errors.map((e) => ({ ...e, part: label })),
    );
    const failedLines = new Set(errors.map((e) => e.line)).size;
    Object.assign(
      totals,
      totalsAfterBatch(totals, batch, applied, failedLines, {
        ignoredColumns: totals.ignoredColumns,
        progress,
        checkpoint: { part: part.name, line: batch.lastLine },
      }),
    );
    // The batch's temporary tables (its stage, the parts' own) go, as a commit would drop them, for the next batch.
    await sql(em, 'DISCARD TEMP');
  }
}
