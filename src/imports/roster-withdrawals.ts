import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditAuthor } from '../audit/audit-writer.js';
import { q } from '../database/sql.js';
import { withdrawStudents } from '../students/students-bulk.repository.js';
import { TicketBulkRepository } from '../tickets/ticket-bulk.repository.js';
import { ImportsRepository } from './imports.repository.js';

/** What the end of an import does about the students its bulk roster did not name. */
export interface WithdrawalOutcome {
  stats: Record<string, number>;
  /** More than the district's share: nothing was withdrawn, an admin must confirm. */
  awaitsConfirmation: boolean;
}

/**
 * The students a bulk roster did not name (import_withdrawals, recorded by its users.csv part) are
 * withdrawn when the import ends, with their open tickets, unless they are more than the district's
 * share of its active students: a truncated SIS export must not withdraw a district. Then the import
 * waits for an admin, and `apply` runs when one confirms.
 */
@Injectable()
export class RosterWithdrawals {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly tickets: TicketBulkRepository,
  ) {}

  async settle(em: EntityManager, importId: string, districtId: string, author: AuditAuthor): Promise<WithdrawalOutcome> {
    const share = await this.imports.withdrawalShare(em, importId, districtId);
    if (!share.candidates) return { stats: {}, awaitsConfirmation: false };
    if (share.candidates * 100 > share.active * share.limitPercent) {
      return { stats: { withdrawalsPending: share.candidates }, awaitsConfirmation: true };
    }
    return { stats: await this.apply(em, importId, districtId, author), awaitsConfirmation: false };
  }

  /** Withdraws the import's students that are still active, and resolves the open tickets of its withdrawn students. */
  async apply(em: EntityManager, importId: string, districtId: string, author: AuditAuthor): Promise<Record<string, number>> {
    const withdrawn = await withdrawStudents(em, q`SELECT student_id FROM import_withdrawals WHERE import_id = ${importId}`, {
      districtId,
      author,
    });
    const ticketsResolved = await this.tickets.resolveOfStudents(
      em,
      author,
      q`SELECT w.student_id FROM import_withdrawals w JOIN students s ON s.id = w.student_id
        WHERE w.import_id = ${importId} AND s.enrollment_status = 'withdrawn'`,
      'withdrawn',
    );
    return { withdrawn, ticketsResolved };
  }
}
