import { Injectable } from '@nestjs/common';
import { actorOf, districtFilter } from '../auth/scope.js';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../common/clock.js';
import { domainError } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isTimestamp, isUuidKey, page } from '../common/http/pagination.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { QueueService } from '../queue/queue.service.js';
import type { GapScanRow, ScanTrigger } from './connectivity.domain.js';
import { GapScansRepository } from './gap-scans.repository.js';
import { addDays, isIsoDate } from './school-days.js';

/** Local hour after which a district's daily scan is due: the school day has begun. */
export const DAILY_SCAN_HOUR = 6;

@Injectable()
export class GapScansService {
  constructor(
    private readonly scans: GapScansRepository,
    private readonly uow: UnitOfWork,
    private readonly queues: QueueService,
    private readonly clock: Clock,
  ) {}

  async request(principal: Principal, input: { districtId?: string; asOf?: string }): Promise<GapScanRow> {
    if (input.asOf !== undefined && !isIsoDate(input.asOf)) {
      throw domainError('validation_failed', [{ field: 'asOf', message: 'must be a date YYYY-MM-DD' }]);
    }
    // A day ahead allows for any district's time zone; later would judge logins that cannot have happened yet.
    const latest = addDays(this.clock.now().toISOString().slice(0, 10), 1);
    if (input.asOf !== undefined && input.asOf > latest) throw domainError('as_of_in_future', latest);
    // A state token without a district scans every district.
    const districtId = districtFilter(principal, input.districtId);
    try {
      return await this.uow.run(actorOf(principal), (tx) => this.enqueue(tx, districtId, input.asOf ?? null, 'manual', principal.tokenId));
    } catch (error) {
      explainConstraint(error, { gap_scans_district_id_fkey: () => domainError('district_not_found', String(districtId)) });
    }
  }

  /** After an import that changes what a scan would find (logins, Google sync, carrier usage). */
  async requestAfterImport(tx: Tx, districtId: string): Promise<void> {
    await this.enqueue(tx, districtId, null, 'import', null);
  }

  async get(principal: Principal, id: string): Promise<GapScanRow> {
    const scan = await this.scans.find(id, principal.districtId);
    if (!scan) throw domainError('gap_scan_not_found', id);
    return scan;
  }

  async list(principal: Principal, query: { limit?: number; cursor?: string }) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string, string]>(query.cursor, [isTimestamp, isUuidKey]);
    const rows = await this.scans.list(principal.districtId, limit, after);
    return page(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
  }

  /** The hourly sweep: due daily scans, plus any scan whose job was lost (Redis) or died or gave up (re-queued). */
  async scheduleDue(): Promise<number> {
    const created = await this.uow.run({ tokenId: null, name: 'system:gap-scan-schedule' }, async (tx) => {
      const ids = await this.scans.createDueScheduled(tx.em, DAILY_SCAN_HOUR);
      for (const scanId of ids) tx.enqueue(this.job(scanId));
      return ids.length;
    });
    for (const scanId of await this.scans.strandedOlderThan(600)) await this.queues.ensure(this.job(scanId));
    return created;
  }

  private async enqueue(
    tx: Tx,
    districtId: string | null,
    asOf: string | null,
    trigger: Exclude<ScanTrigger, 'schedule'>,
    requestedBy: string | null,
  ): Promise<GapScanRow> {
    const scan = await this.scans.create(tx.em, { districtId, asOf, trigger, requestedBy });
    tx.audit({ districtId, entityType: 'gap_scan', entityId: scan.id, action: 'request', after: { asOf, trigger } });
    tx.enqueue(this.job(scan.id));
    return scan;
  }

  private job(scanId: string) {
    // The scan id as job id: adding the same scan twice queues it once.
    return this.queues.job('gap-scans', 'gap-scan.run', { scanId }, { jobId: scanId });
  }
}
