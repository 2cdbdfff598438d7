import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, q, run, sql } from '../database/sql.js';
import type { GapScanRow, ScanCounts, ScanTrigger } from './connectivity.domain.js';

const COLUMNS = `id, district_id AS "districtId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", trigger, status,
  students_scanned AS "studentsScanned", gaps_opened AS "gapsOpened", gaps_closed AS "gapsClosed",
  tickets_opened AS "ticketsOpened", tickets_updated AS "ticketsUpdated", tickets_resolved AS "ticketsResolved",
  error, created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

@Injectable()
export class GapScansRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    em: EntityManager,
    scan: { districtId: string | null; asOf: string | null; trigger: ScanTrigger; requestedBy: string | null },
  ): Promise<GapScanRow> {
    return (await one<GapScanRow>(
      em,
      `INSERT INTO gap_scans (district_id, as_of, trigger, requested_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [scan.districtId, scan.asOf, scan.trigger, scan.requestedBy],
    ))!;
  }

  /** The daily scans due now: districts whose local school day has begun and that have none yet today. */
  async createDueScheduled(em: EntityManager, startHour: number): Promise<string[]> {
    const { rows } = await sql<{ id: string }>(
      em,
      `INSERT INTO gap_scans (district_id, as_of, trigger)
       SELECT d.id, local.today, 'schedule'
       FROM districts d
       CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE d.time_zone) AS at, (now() AT TIME ZONE d.time_zone)::date AS today) local
       WHERE extract(hour FROM local.at) >= $1
         AND extract(isodow FROM local.today) < 6
         AND NOT (local.today = ANY (d.closure_dates))
       ON CONFLICT (district_id, as_of) WHERE trigger = 'schedule' DO NOTHING
       RETURNING id`,
      [startHour],
    );
    return rows.map((r) => r.id);
  }

  find(id: string, districtId: string | null): Promise<GapScanRow | null> {
    return one<GapScanRow>(this.db.manager, `SELECT ${COLUMNS} FROM gap_scans WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)`, [
      id,
      districtId,
    ]);
  }

  async list(districtId: string | null, limit: number, after: [string, string] | null): Promise<GapScanRow[]> {
    const { rows } = await sql<GapScanRow>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM gap_scans
       WHERE ($1::uuid IS NULL OR district_id = $1)
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [districtId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return rows;
  }

  /** Marks the scan running; false when it already finished (a duplicate or late retry). */
  async start(id: string): Promise<GapScanRow | null> {
    return one<GapScanRow>(
      this.db.manager,
      `UPDATE gap_scans SET status = 'running', started_at = coalesce(started_at, now()), error = NULL
       WHERE id = $1 AND status IN ('queued','running','failed') RETURNING ${COLUMNS}`,
      [id],
    );
  }

  async finish(id: string, counts: ScanCounts, asOf: string | null): Promise<void> {
    await run(
      this.db.manager,
      q`UPDATE gap_scans SET status = 'completed', finished_at = now(), as_of = coalesce(as_of, ${asOf}::date),
         students_scanned = ${counts.studentsScanned}, gaps_opened = ${counts.gapsOpened}, gaps_closed = ${counts.gapsClosed},
         tickets_opened = ${counts.ticketsOpened}, tickets_updated = ${counts.ticketsUpdated}, tickets_resolved = ${counts.ticketsResolved}
       WHERE id = ${id}`,
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await sql(this.db.manager, `UPDATE gap_scans SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [id, error]);
  }

  /** Scans queued or running for longer than this: the reconciler checks that a live job still carries each. */
  async strandedOlderThan(seconds: number): Promise<string[]> {
    const { rows } = await sql<{ id: string }>(
      this.db.manager,
      `SELECT id FROM gap_scans WHERE status IN ('queued','running')
         AND coalesce(started_at, created_at) < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 1000`,
      [seconds],
    );
    return rows.map((r) => r.id);
  }

  async districtIds(): Promise<{ id: string; timeZone: string }[]> {
    const { rows } = await sql<{ id: string; timeZone: string }>(
      this.db.manager,
      `SELECT id, time_zone AS "timeZone" FROM districts ORDER BY id`,
    );
    return rows;
  }
}
