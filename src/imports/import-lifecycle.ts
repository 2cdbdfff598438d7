import { rm } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { GapScansService } from '../connectivity/gap-scans.service.js';
import { tuneBulkTransaction } from '../database/bulk-stage.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import type { ImportPlan } from './import-plan.js';
import { addStats, totalsOf } from './import-totals.js';
import { ImportsRepository, type ImportRow, type ImportTotals } from './imports.repository.js';
import type { RowError } from './parsing/file-error.js';
import { auditAuthor, type BatchContext } from './parts/part.js';
import { RosterWithdrawals } from './roster-withdrawals.js';

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
    private readonly withdrawals: RosterWithdrawals,
  ) {}

  /**
   * The one place an import is marked completed: the parts' final steps (a bulk roster records the
   * students it did not name) and the withdrawals run in the same transaction. A bulk roster that
   * would withdraw too many stops in needs_confirmation instead, its other changes applied.
   * Follow-up work for a completed import belongs here, e.g. tx.enqueue() of a job that runs once this commits.
   */
  async complete(row: ImportRow, plan: ImportPlan, ctx: BatchContext, totals: ImportTotals): Promise<void> {
    const final = await this.uow.run(ctx.actor, async (tx) => {
      await tuneBulkTransaction(tx.em, { durable: true });
      const { stats, awaitsConfirmation } = await this.finishParts(tx.em, row, plan, ctx, totals);
      await this.imports.forgetKeys(tx.em, row.id);
      if (row.kind === 'oneroster') {
        for (const id of await this.imports.supersedeAwaiting(tx.em, row.districtId, row.id)) {
          tx.audit({ districtId: row.districtId, entityType: 'import', entityId: id, action: 'supersede', after: { by: row.id } });
        }
      }
      const completed: ImportTotals = { ...totals, stats, progress: 1 };
      await this.imports.saveTotals(tx.em, row.id, completed);
      const { rows, created, updated, unchanged, failed, skipped } = completed;
      if (awaitsConfirmation) {
        await this.imports.awaitConfirmation(tx.em, row.id);
        tx.audit({
          districtId: row.districtId,
          entityType: 'import',
          entityId: row.id,
          action: 'await_confirmation',
          after: { rows, created, updated, unchanged, failed, skipped, stats },
        });
        return completed;
      }
      await this.imports.finish(tx.em, row.id, 'completed', null);
      // New logins, Google sync or carrier data change what a scan finds: look again once this commits.
      if (FOLLOW_UP_SCAN_KINDS.includes(row.kind)) await this.gapScans.requestAfterImport(tx, row.districtId);
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
      final.stats['withdrawalsPending'] ? 'import awaits confirmation of its withdrawals' : 'import completed',
    );
    await this.discardFile(row);
  }

  /** The parts' final steps, then the roster's withdrawals: the stats they add, and whether an admin must confirm. */
  async finishParts(
    em: EntityManager,
    row: ImportRow,
    plan: ImportPlan,
    ctx: BatchContext,
    totals: ImportTotals,
  ): Promise<{ stats: Record<string, number>; awaitsConfirmation: boolean }> {
    let stats = totals.stats;
    for (const { part } of plan.parts) {
      if (part.settle) await part.settle(em, ctx);
      if (part.finish) stats = addStats(stats, await part.finish(em, ctx));
    }
    const withdrawals = await this.withdrawals.settle(em, row.id, row.districtId, auditAuthor(ctx));
    return { stats: addStats(stats, withdrawals.stats), awaitsConfirmation: withdrawals.awaitsConfirmation };
  }

  /**
   * A dry run ends completed with what it would have done (its batches were rolled back): the totals,
   * the students it would withdraw, and its row errors (kept as it ran). Nothing follows it.
   */
  async completeDryRun(row: ImportRow, ctx: BatchContext, totals: ImportTotals, withdrawals: string[]): Promise<void> {
    await this.uow.run(ctx.actor, async (tx) => {
      const completed: ImportTotals = { ...totals, progress: 1, checkpoint: null };
      await this.imports.keepWithdrawals(tx.em, row.id, withdrawals);
      await this.imports.saveTotals(tx.em, row.id, completed);
      await this.imports.finish(tx.em, row.id, 'completed', null);
      const { rows, created, updated, unchanged, failed, skipped, stats } = completed;
      tx.audit({
        districtId: row.districtId,
        entityType: 'import',
        entityId: row.id,
        action: 'complete',
        after: { dryRun: true, rows, created, updated, unchanged, failed, skipped, stats },
      });
    });
    this.logger.log({ importId: row.id, kind: row.kind, rows: totals.rows }, 'dry run completed');
    await this.discardFile(row);
  }

  /** An admin confirmed the withdrawals of an import that awaited it: they are applied now, and it completes. */
  async confirm(tx: Tx, row: ImportRow, requestId: string | null, note: string | null): Promise<Record<string, number>> {
    const applied = await this.withdrawals.apply(tx.em, row.id, row.districtId, { actor: tx.actor, requestId });
    const stats = addStats(row.stats, applied);
    await this.imports.saveTotals(tx.em, row.id, { ...totalsOf(row), stats });
    await this.imports.finish(tx.em, row.id, 'completed', null);
    tx.audit({
      districtId: row.districtId,
      entityType: 'import',
      entityId: row.id,
      action: 'confirm',
      after: { stats, ...(note ? { note } : {}) },
    });
    return stats;
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
    // A connector's roster is a folder of CSV files.
    if (row.fileOwned) await rm(row.filePath, { force: true, recursive: true });
  }
}
