import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { one } from '../database/sql.js';
import { applyLoginEvents, LOGIN_EVENT_COLUMNS } from '../imports/parts/login-events.js';
import type { BatchContext } from '../imports/parts/part.js';
import { analyzeStage, copyIn, createStage, tuneBulkTransaction, type CopyBuffer } from '../imports/staging.js';

export interface LoginEventCounts {
  inserted: number;
  duplicates: number;
  unknownStudents: number;
}

@Injectable()
export class LoginEventsRepository {
  async districtExists(em: EntityManager, districtId: string): Promise<boolean> {
    return (await one(em, `SELECT 1 FROM districts WHERE id = $1`, [districtId])) !== null;
  }

  /** Staged rows (line first) go through the same COPY and statements as a batch of a login-events file. */
  async write(em: EntityManager, ctx: BatchContext, rows: CopyBuffer): Promise<LoginEventCounts> {
    // Durable: the LMS is told the events are recorded, and will not send them again.
    await tuneBulkTransaction(em, { durable: true });
    await createStage(em, LOGIN_EVENT_COLUMNS);
    await copyIn(em, 'import_stage', ['line', ...LOGIN_EVENT_COLUMNS.map((c) => c.name)], rows);
    await analyzeStage(em);
    const applied = await applyLoginEvents(em, ctx);
    return { inserted: applied.created, duplicates: applied.stats?.['duplicates'] ?? 0, unknownStudents: applied.stats?.['unknownStudents'] ?? 0 };
  }
}
