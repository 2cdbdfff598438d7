import { rm } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { GapScansService } from '../connectivity/gap-scans.service.js';
import { tuneBulkTransaction } from '../database/bulk-stage.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { ImportPlan } from './import-plan.js';
import { addStats } from './import-totals.js';
import { ImportsRepository, type ImportRow, type ImportTotals } from './imports.repository.js';
import type { RowError } from './parsing/file-error.js';
import type { BatchContext } from './parts/part.js';

/** Imports after which the gap scan runs again for the district. */
const FOLLOW_UP_SCAN_KINDS: readonly string[] = ['login-events', 'chromeos-devices', 'hotspot-usage'];

/** How an import run ends: completed (with the parts' final steps and follow-up work), failed, or queued again. */
@Injectable()
export class ImportLifecycle {
  private readonly logger = new Logger('imports');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly imports: ImportsRepository,
    private readonly gapScans: GapScansService,
  ) {}

  /**
   * The one place an import is marked completed: the parts' final steps (a bulk roster withdraws the
   * students it did not name) run in the same transaction. Follow-up work for a completed import
   * belongs here, e.g. tx.enqueue() of a job that runs once this commits.
   */
  async complete(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals): Promise<void> {
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
      tx.audit({
        districtId: row.districtId,
        entityType: 'import',
        entityId: row.id,
        action: 'complete',
        after: { rows, created, updated, unchanged, failed, skipped, stats },
      });
      return completed;
    });
    Object.assign(totals, final);
    this.logger.log(
      { importId: row.id, kind: row.kind, rows: final.rows, created: final.created, updated: final.updated, failed: final.failed },
      'import completed',
    );
    await this.discardFile(row);
  }

  async fail(row: ImportRow, plan: ImportPlan | null, ctx: BatchContext, summary: string, errors: RowError[]): Promise<void> {
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

  /** An attempt stopped and another will follow: the import waits in the queue again, and resumes where it stopped. */
  async requeue(actor: Actor, importId: string, summary: string): Promise<void> {
    await this.uow.run(actor, (tx) => this.imports.requeue(tx.em, importId, summary));
  }

  /** An uploaded file holds student data: it is kept only until its import ends. */
  private async discardFile(row: ImportRow): Promise<void> {
    if (row.fileOwned) await rm(row.filePath, { force: true });
  }
}
