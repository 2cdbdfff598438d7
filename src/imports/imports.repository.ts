import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../common/http/uuid-param.pipe.js';
import { one, sql } from '../database/sql.js';
import type { ImportKind } from './import-plan.js';
import type { RowError } from './parsing/file-error.js';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface Checkpoint {
  part: string;
  /** The last line (or JSON item) of the last committed batch of that part. */
  line: number;
}

/** What an import counted: its rows and what became of them. */
export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
  stats: Record<string, number>;
}

/** What an import has done so far; saved with every batch. */
export interface ImportTotals extends ImportCounts {
  ignoredColumns: string[];
  progress: number;
  checkpoint: Checkpoint | null;
}

export interface ImportRow extends ImportTotals {
  id: string;
  districtId: string;
  kind: ImportKind;
  status: ImportStatus;
  origin: 'upload' | 'cli';
  fileName: string;
  filePath: string;
  fileOwned: boolean;
  fileSize: number;
  errorSummary: string | null;
  attempts: number;
  requestedBy: string | null;
  requestedByName: string | null;
  createdAt: Date;
  /** created_at to the microsecond, for list cursors. */
  createdAtKey: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewImport {
  districtId: string;
  kind: ImportKind;
  origin: 'upload' | 'cli';
  fileName: string;
  filePath: string;
  fileOwned: boolean;
  fileSize: number;
  requestedBy: string | null;
}

export interface ImportErrorRow {
  id: string;
  part: string | null;
  line: number;
  field: string | null;
  message: string;
}

export interface SuggestionRow {
  id: string;
  line: number;
  basis: 'annotated_user' | 'recent_user';
  deviceId: string;
  serialNumber: string;
  assetTag: string | null;
  studentId: string;
  studentSourcedId: string;
  studentName: string;
  studentEmail: string | null;
}

const COLUMNS = `
  i.id, i.district_id AS "districtId", i.kind, i.status, i.origin, i.file_name AS "fileName", i.file_path AS "filePath",
  i.file_owned AS "fileOwned", i.file_size::float8 AS "fileSize", i.progress, i.rows_read AS rows, i.created, i.updated,
  i.unchanged, i.failed, i.skipped, i.stats, i.ignored_columns AS "ignoredColumns", i.error_summary AS "errorSummary",
  i.checkpoint, i.attempts, i.requested_by AS "requestedBy", t.name AS "requestedByName", i.created_at AS "createdAt",
  to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey",
  i.started_at AS "startedAt", i.finished_at AS "finishedAt"`;

@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(em: EntityManager, input: NewImport): Promise<string> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO imports (district_id, kind, origin, file_name, file_path, file_owned, file_size, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [input.districtId, input.kind, input.origin, input.fileName, input.filePath, input.fileOwned, input.fileSize, input.requestedBy],
    );
    return row!.id;
  }

  /** A district by its id or its code. */
  async findDistrict(idOrCode: string): Promise<string | null> {
    const row = await one<{ id: string }>(this.db.manager, `SELECT id FROM districts WHERE ${isUuid(idOrCode) ? 'id = $1::uuid' : 'code = $1'}`, [idOrCode]);
    return row?.id ?? null;
  }

  findById(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<ImportRow | null> {
    return one<ImportRow>(
      em,
      `SELECT ${COLUMNS} FROM imports i LEFT JOIN api_tokens t ON t.id = i.requested_by
       WHERE i.id = $1 AND ($2::uuid IS NULL OR i.district_id = $2)`,
      [id, districtId],
    );
  }

  /** Newest first; `after` is the (createdAt, id) of the last row of the previous page. */
  async list(
    filter: { districtId: string | null; kind?: ImportKind; status?: ImportStatus },
    limit: number,
    after: [string, string] | null,
  ): Promise<ImportRow[]> {
    const result = await sql<ImportRow>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM imports i LEFT JOIN api_tokens t ON t.id = i.requested_by
       WHERE ($1::uuid IS NULL OR i.district_id = $1) AND ($2::text IS NULL OR i.kind = $2) AND ($3::text IS NULL OR i.status = $3)
         AND ($4::timestamptz IS NULL OR (i.created_at, i.id) < ($4::timestamptz, $5::uuid))
       ORDER BY i.created_at DESC, i.id DESC LIMIT $6`,
      [filter.districtId, filter.kind ?? null, filter.status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return result.rows;
  }

  /** Uploaded imports queued, or started, longer ago than this: the ones a live job should be moving. */
  async strandedUploads(olderThanSeconds: number, limit: number): Promise<string[]> {
    const result = await sql<{ id: string }>(
      this.db.manager,
      `SELECT id FROM imports
       WHERE origin = 'upload' AND status IN ('queued','running')
         AND coalesce(started_at, created_at) < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return result.rows.map((r) => r.id);
  }

  async errors(importId: string, limit: number, afterId: string | null): Promise<ImportErrorRow[]> {
    const result = await sql<ImportErrorRow>(
      this.db.manager,
      // e.id: a bare "id" in ORDER BY would mean the select list's text and sort "10" before "9".
      `SELECT e.id::text, e.part, e.line, e.field, e.message FROM import_errors e
       WHERE e.import_id = $1 AND ($2::bigint IS NULL OR e.id > $2) ORDER BY e.id LIMIT $3`,
      [importId, afterId, limit],
    );
    return result.rows;
  }

  async suggestions(importId: string, limit: number, afterId: string | null): Promise<SuggestionRow[]> {
    const result = await sql<SuggestionRow>(
      this.db.manager,
      `SELECT g.id::text, g.line, g.basis, d.id AS "deviceId", d.serial_number AS "serialNumber", d.asset_tag AS "assetTag",
              s.id AS "studentId", s.sourced_id AS "studentSourcedId", s.given_name || ' ' || s.family_name AS "studentName",
              s.email AS "studentEmail"
       FROM import_suggestions g JOIN devices d ON d.id = g.device_id JOIN students s ON s.id = g.student_id
       WHERE g.import_id = $1 AND ($2::bigint IS NULL OR g.id > $2) ORDER BY g.id LIMIT $3`,
      [importId, afterId, limit],
    );
    return result.rows;
  }

  /** Takes a queued import (or one whose worker died) to running; null when it has ended already. */
  async claim(em: EntityManager, id: string): Promise<boolean> {
    const result = await sql(
      em,
      `UPDATE imports SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1, error_summary = NULL
       WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    return result.count > 0;
  }

  /**
   * The totals as the last committed batch left them, locked until this transaction ends. NO KEY UPDATE,
   * so that batches in flight can still write rows that reference the import (their row errors, keys).
   */
  lockTotals(em: EntityManager, id: string): Promise<ImportTotals | null> {
    return one<ImportTotals>(
      em,
      `SELECT rows_read AS rows, created, updated, unchanged, failed, skipped, stats, ignored_columns AS "ignoredColumns", progress, checkpoint
       FROM imports WHERE id = $1 FOR NO KEY UPDATE`,
      [id],
    );
  }

  async saveTotals(em: EntityManager, id: string, totals: ImportTotals): Promise<void> {
    await sql(
      em,
      `UPDATE imports SET rows_read = $2, created = $3, updated = $4, unchanged = $5, failed = $6, skipped = $7,
              stats = $8, ignored_columns = $9, progress = $10, checkpoint = $11
       WHERE id = $1`,
      [
        id, totals.rows, totals.created, totals.updated, totals.unchanged, totals.failed, totals.skipped,
        JSON.stringify(totals.stats), totals.ignoredColumns, totals.progress, totals.checkpoint ? JSON.stringify(totals.checkpoint) : null,
      ],
    );
  }

  /** Moves the batch's row errors from the staging table to the import, in line order. */
  async keepStagedErrors(em: EntityManager, importId: string, part: string | null): Promise<number> {
    const result = await one<{ lines: number }>(
      em,
      `WITH kept AS (
         INSERT INTO import_errors (import_id, part, line, field, message)
         SELECT $1, $2, line, field, message FROM import_stage_errors ORDER BY line
         RETURNING line
       )
       SELECT count(DISTINCT line)::int AS lines FROM kept`,
      [importId, part],
    );
    return result!.lines;
  }

  async insertErrors(em: EntityManager, importId: string, errors: RowError[]): Promise<void> {
    if (!errors.length) return;
    await sql(
      em,
      `INSERT INTO import_errors (import_id, part, line, field, message)
       SELECT $1, e.part, e.line, e.field, e.message
       FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (part text, line integer, field text, message text)) WITH ORDINALITY AS e(part, line, field, message, n)
       ORDER BY e.n`,
      [importId, JSON.stringify(errors.map((e) => ({ ...e, part: e.part ?? null })))],
    );
  }

  /** The keys (sourcedIds) a batch named, kept until the import ends. */
  async rememberKeys(em: EntityManager, importId: string, keys: string[]): Promise<void> {
    await sql(em, `INSERT INTO import_seen_keys (import_id, keys) VALUES ($1, $2::text[])`, [importId, keys]);
  }

  async forgetKeys(em: EntityManager, importId: string): Promise<void> {
    await sql(em, `DELETE FROM import_seen_keys WHERE import_id = $1`, [importId]);
  }

  async finish(em: EntityManager, id: string, status: 'completed' | 'failed', errorSummary: string | null): Promise<void> {
    await sql(
      em,
      `UPDATE imports SET status = $2, error_summary = $3, finished_at = now(), progress = CASE WHEN $2 = 'completed' THEN 1 ELSE progress END
       WHERE id = $1`,
      [id, status, errorSummary],
    );
  }

  /** An attempt failed and another will follow: the import waits in the queue again. */
  async requeue(em: EntityManager, id: string, errorSummary: string): Promise<void> {
    await sql(em, `UPDATE imports SET status = 'queued', error_summary = $2 WHERE id = $1 AND status = 'running'`, [id, errorSummary]);
  }
}
