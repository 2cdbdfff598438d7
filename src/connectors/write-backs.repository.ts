import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { q, raw, run } from '../database/sql.js';
import type { Tx } from '../database/unit-of-work.js';
import { DEFAULT_JOB_OPTIONS } from '../queue/queue.service.js';
import type { WriteBackAction } from './connector.domain.js';

/** The custody change a write-back follows. */
export type WriteBackCause = 'issue' | 'return' | 'report_loss' | 'recover' | 'retire';

export interface WriteBackRow {
  id: string;
  districtId: string;
  deviceId: string;
  connectorId: string;
  googleDeviceId: string;
  action: WriteBackAction;
  payload: Record<string, string>;
  cause: WriteBackCause;
  mode: 'dry_run' | 'on';
  status: 'recorded' | 'pending' | 'delivered' | 'failed';
  attempts: number;
  error: string | null;
  createdAt: Date;
}

const COLUMNS = `w.id, w.district_id AS "districtId", w.device_id AS "deviceId", w.connector_id AS "connectorId",
  w.google_device_id AS "googleDeviceId", w.action, w.payload, w.cause, w.mode, w.status, w.attempts, w.error, w.created_at AS "createdAt"`;

/**
 * Whether device `d` may be written back at all: a Chromebook Google knows, in a district whose Google
 * connector writes back (on, or in dry run). A custody statement that locks its devices reads this too,
 * so that a change with nothing to write back costs no further statement.
 */
export const MAY_WRITE_BACK = `(d.kind = 'chromebook' AND d.google_device_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM connectors c WHERE c.district_id = d.district_id AND c.kind = 'google-workspace' AND c.settings->>'writeBack' IN ('dry_run','on')))`;

/**
 * Writes what the custody change means for these Chromebooks in Google Admin to the outbox, in the
 * change's own transaction, when the district's Google connector has write-back on or in dry run.
 * The location is the device's school, else its student's. Only Chromebooks Google knows (a device id from a sync) are written back; a retirement only when the
 * district allows deprovisioning. Each row is audited on its device (the device's history); rows for
 * Google are delivered by a job added once the change commits.
 */
export async function recordWriteBacks(
  tx: Tx,
  districtId: string,
  deviceIds: readonly string[],
  action: WriteBackAction,
  cause: WriteBackCause,
): Promise<void> {
  if (!deviceIds.length) return;
  const result = await run<{ id: string; deviceId: string; mode: string; status: string; payload: Record<string, string> }>(
    tx.em,
    q`WITH targets AS (
        SELECT d.id AS device_id, d.google_device_id, d.asset_tag, c.id AS connector_id, c.settings->>'writeBack' AS mode,
               s.email AS student_email, coalesce(sc.name, ss.name) AS school_name
        FROM devices d
        JOIN connectors c ON c.district_id = d.district_id AND c.kind = 'google-workspace' AND c.settings->>'writeBack' IN ('dry_run','on')
        LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
        LEFT JOIN students s ON s.id = a.student_id
        LEFT JOIN schools sc ON sc.id = d.school_id
        LEFT JOIN schools ss ON ss.id = s.school_id
        WHERE d.district_id = ${districtId} AND d.id = ANY(${deviceIds}::uuid[]) AND d.kind = 'chromebook' AND d.google_device_id IS NOT NULL
          AND (${action} <> 'deprovision' OR coalesce((c.settings->>'deprovisionOnRetire')::boolean, false))
      )
      INSERT INTO google_write_backs (district_id, device_id, connector_id, google_device_id, action, payload, cause, mode, status)
      SELECT ${districtId}, device_id, connector_id, google_device_id, ${action},
        CASE WHEN ${action} = 'annotate'
          THEN jsonb_build_object('annotatedUser', coalesce(student_email, ''), 'annotatedAssetId', coalesce(asset_tag, ''),
                                  'annotatedLocation', coalesce(school_name, ''))
          ELSE '{}'::jsonb END,
        ${cause}, mode, CASE mode WHEN 'dry_run' THEN 'recorded' ELSE 'pending' END
      FROM targets
      RETURNING id, device_id AS "deviceId", mode, status, payload`,
  );
  for (const row of result.rows) {
    tx.audit({
      districtId,
      entityType: 'device',
      entityId: row.deviceId,
      action: 'google_write_back',
      after: {
        writeBackId: row.id,
        action,
        cause,
        mode: row.mode,
        status: row.status,
        ...(action === 'annotate' ? { payload: row.payload } : {}),
      },
    });
    if (row.mode === 'on') {
      tx.enqueue({
        queue: 'connectors',
        name: 'connector.write-back',
        data: { writeBackId: row.id },
        options: { ...DEFAULT_JOB_OPTIONS, jobId: `write-back-${row.id}` },
      });
    }
  }
}

@Injectable()
export class WriteBacksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(id: string, em: EntityManager = this.db.manager, lock = false): Promise<WriteBackRow | null> {
    const result = await run<WriteBackRow>(
      em,
      q`SELECT ${raw(COLUMNS)} FROM google_write_backs w WHERE w.id = ${id}${raw(lock ? ' FOR UPDATE' : '')}`,
    );
    return result.rows[0] ?? null;
  }

  /** Whether an earlier write-back of the same device still waits: Google must see them in order. */
  async earlierPending(row: WriteBackRow): Promise<boolean> {
    const result = await run<{ id: string }>(
      this.db.manager,
      q`SELECT id FROM google_write_backs WHERE device_id = ${row.deviceId} AND status = 'pending'
         AND (created_at, id) < (${row.createdAt}::timestamptz, ${row.id}::uuid) LIMIT 1`,
    );
    return result.rows.length > 0;
  }

  async finish(em: EntityManager, id: string, status: 'delivered' | 'failed', error: string | null): Promise<void> {
    await run(
      em,
      q`UPDATE google_write_backs SET status = ${status}, error = ${error}, attempts = attempts + 1, finished_at = now()
       WHERE id = ${id} AND status = 'pending'`,
    );
  }

  /** An attempt failed and another follows. */
  async noteAttempt(em: EntityManager, id: string, error: string): Promise<void> {
    await run(em, q`UPDATE google_write_backs SET attempts = attempts + 1, error = ${error} WHERE id = ${id} AND status = 'pending'`);
  }

  /** Outbox rows still pending after a while, for the reconciler to make sure their jobs exist. */
  async pendingOlderThan(seconds: number): Promise<string[]> {
    const result = await run<{ id: string }>(
      this.db.manager,
      q`SELECT id FROM google_write_backs WHERE status = 'pending' AND created_at < now() - make_interval(secs => ${seconds})
       ORDER BY created_at LIMIT 500`,
    );
    return result.rows.map((r) => r.id);
  }
}
