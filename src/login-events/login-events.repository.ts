import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BulkStage, tuneBulkTransaction, type CopyBuffer } from '../database/bulk-stage.js';
import { q, run } from '../database/sql.js';
import { moveLastLogins } from '../students/students-bulk.repository.js';
import { insertStagedLoginEvents, LOGIN_EVENT_COLUMNS } from './login-events-bulk.repository.js';

export interface LoginEventCounts {
  inserted: number;
  duplicates: number;
  unknownStudents: number;
}

@Injectable()
export class LoginEventsRepository {
  async districtExists(em: EntityManager, districtId: string): Promise<boolean> {
    return (await run(em, q`SELECT 1 FROM districts WHERE id = ${districtId}`)).rows.length > 0;
  }

  /**
   * Staged rows (line first) go through the same COPY and statement as a batch of a login-events file.
   * A request from an LMS is small: last_login_at moves at once, in the same statement.
   */
  async write(em: EntityManager, districtId: string, rows: CopyBuffer): Promise<LoginEventCounts> {
    // Durable: the LMS is told the events are recorded, and will not send them again.
    await tuneBulkTransaction(em, { durable: true });
    const stage = await BulkStage.create(em, LOGIN_EVENT_COLUMNS);
    await stage.copyRows(em, rows);
    await stage.analyze(em);
    const counts = await insertStagedLoginEvents(em, stage, { districtId, lastLogins: moveLastLogins(districtId) });
    return { inserted: counts.inserted, duplicates: counts.known - counts.inserted, unknownStudents: counts.unknown };
  }
}
