import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { UnitOfWork } from '../database/unit-of-work.js';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { EMPTY_COUNTS, type ScanCounts } from './connectivity.domain.js';
import { GapScanEngine } from './gap-scan.engine.js';
import { GapScansRepository } from './gap-scans.repository.js';
import { todayIn } from './school-days.js';

const SCAN_ACTOR = { tokenId: null, name: 'system:gap-scan' };

/**
 * Runs one scan. Each district is one transaction, so a worker killed mid-scan leaves no half of a
 * district behind, and the retried job redoes it idempotently.
 */
@Injectable()
@JobHandler('gap-scans', 'gap-scan.run')
export class GapScanProcessor implements HandlesJob<'gap-scans', 'gap-scan.run'> {
  private readonly logger = new Logger('gap-scan');

  constructor(
    private readonly scans: GapScansRepository,
    private readonly engine: GapScanEngine,
    private readonly uow: UnitOfWork,
  ) {}

  async handle(job: Job<{ scanId: string }>, signal?: AbortSignal): Promise<ScanCounts | null> {
    const scan = await this.scans.start(job.data.scanId);
    if (!scan) return null;
    try {
      const districts = (await this.scans.districtIds()).filter((d) => scan.districtId === null || d.id === scan.districtId);
      const totals: ScanCounts = { ...EMPTY_COUNTS };
      // A one-district scan records the day it judged; an all-district one may span time zones.
      const asOf = scan.asOf ?? (scan.districtId && districts[0] ? todayIn(districts[0].timeZone) : null);
      for (const district of districts) {
        signal?.throwIfAborted();
        const day = asOf ?? todayIn(district.timeZone);
        const counts = await this.uow.run(SCAN_ACTOR, (tx) => this.engine.scanDistrict(tx.em, SCAN_ACTOR, scan.id, district.id, day));
        for (const key of Object.keys(totals) as (keyof ScanCounts)[]) totals[key] += counts[key];
      }
      await this.scans.finish(scan.id, totals, asOf);
      this.logger.log({ scanId: scan.id, ...totals }, 'gap scan completed');
      return totals;
    } catch (error) {
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (finalAttempt) await this.scans.fail(scan.id, (error as Error).message);
      throw error;
    }
  }
}
