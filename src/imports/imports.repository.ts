import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../common/http/uuid-param.pipe.js';
import type { BulkStage } from '../database/bulk-stage.js';
import { one, q, raw, run } from '../database/sql.js';
import type { ImportKind, ImportWarning } from './import-plan.js';
import type { RowError } from './parsing/file-error.js';
import type { InputFormat } from './parsing/input.js';

/** Row errors kept per import; enough to fix a file by, and a bound on what a bad file can write. */
export const MAX_ROW_ERRORS = 10_000;

export type ImportStatus = 'queued' | 'running' | 'needs_confirmation' | 'completed' | 'failed';

export interface Checkpoint {
  part: string;
  /** The last line (or JSON item) of the last committed batch of that part. */
  line: number;
}

/** A table whose statistics do not expect a district's rows (sparseTables). */
export interface SparseTable {
  name: string;
  /** Nearly empty: every column's statistics are missing, not just the district's. */
  whole: boolean;
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
  /** Reports what it would do and leaves the district's tables as they were. */
  dryRun: boolean;
  origin: 'upload' | 'cli' | 'connector';
  fileName: string;
  filePath: string;
  fileOwned: boolean;
  fileSize: number;
  errorSummary: string | null;
  /** Row errors past MAX_ROW_ERRORS: counted, not kept. */
  errorsOmitted: number;
  warnings: ImportWarning[];
  /** Null for imports recorded before it was kept. */
  inputFormat: InputFormat | null;
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
  origin: 'upload' | 'cli' | 'connector';
  fileName: string;
  filePath: string;
  fileOwned: boolean;
  fileSize: number;
  requestedBy: string | null;
  warnings: ImportWarning[];
  inputFormat: InputFormat;
  dryRun: boolean;
}

export interface ImportErrorRow {
  id: string;
  part: string | null;
  line: number;
  field: string | null;
  message: string;
}

export const SUGGESTION_BASES = ['annotated_user', 'recent_user', 'holder_unmatched', 'holder_ambiguous'] as const;
export type SuggestionBasis = (typeof SUGGESTION_BASES)[number];

export interface SuggestionRow {
  id: string;
  line: number;
  basis: SuggestionBasis;
  deviceId: string;
  serialNumber: string;
  assetTag: string | null;
  holder: string | null;
  candidates: number;
  studentId: string | null;
  studentSourcedId: string | null;
  studentName: string | null;
  studentEmail: string | null;
}

/** A student a bulk roster withdrew, or would withdraw (dry run, awaiting confirmation). */
export interface WithdrawalRow {
  studentId: string;
  sourcedId: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  schoolId: string;
  enrollmentStatus: string;
}

/** How many students a bulk roster would withdraw, of how many active ones, and the district's limit in percent. */
export interface WithdrawalShare {
  candidates: number;
  active: number;
  limitPercent: number;
}

const COLUMNS = `
  i.id, i.district_id AS "districtId", i.kind, i.status, i.dry_run AS "dryRun", i.origin, i.file_name AS "fileName", i.file_path AS "filePath",
  i.file_owned AS "fileOwned", i.file_size::float8 AS "fileSize", i.progress, i.rows_read AS rows, i.created, i.updated,
  i.unchanged, i.failed, i.skipped, i.stats, i.ignored_columns AS "ignoredColumns", i.error_summary AS "errorSummary", i.errors_omitted AS "errorsOmitted",
  i.warnings, i.input_format AS "inputFormat", i.checkpoint, i.attempts, i.requested_by AS "requestedBy", t.name AS "requestedByName", i.created_at AS "createdAt",
  to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey",
  i.started_at AS "startedAt", i.finished_at AS "finishedAt"`;

@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(em: EntityManager, input: NewImport): Promise<string> {
    const result = await run<{ id: string }>(
      em,
      q`INSERT INTO imports (district_id, kind, origin, file_name, file_path, file_owned, file_size, requested_by, warnings, input_format, dry_run)
       VALUES (${input.districtId}, ${input.kind}, ${input.origin}, ${input.fileName}, ${input.filePath}, ${input.fileOwned}, ${input.fileSize},
               ${input.requestedBy}, ${JSON.stringify(input.warnings)}::jsonb, ${input.inputFormat}, ${input.dryRun})
       RETURNING id`,
    );
    return result.rows[0].id;
  }

  /** A district by its id or its code. */
  async findDistrict(idOrCode: string): Promise<string | null> {
    const match = isUuid(idOrCode) ? q`id = ${idOrCode}::uuid` : q`code = ${idOrCode}`;
    const result = await run<{ id: string }>(this.db.manager, q`SELECT id FROM districts WHERE ${match}`);
    return result.rows[0]?.id ?? null;
  }

  async findById(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<ImportRow | null> {
    const result = await run<ImportRow>(
      em,
      q`SELECT ${raw(COLUMNS)} FROM imports i LEFT JOIN api_tokens t ON t.id = i.requested_by
       WHERE i.id = ${id} AND (${districtId}::uuid IS NULL OR i.district_id = ${districtId})`,
    );
    return result.rows[0] ?? null;
  }

  /** Newest first; `after` is the (createdAt, id) of the last row of the previous page. */
  async list(
    filter: { districtId: string | null; kind?: ImportKind; status?: ImportStatus },
    limit: number,
    after: [string, string] | null,
  ): Promise<ImportRow[]> {
    const { districtId, kind = null, status = null } = filter;
    const [afterCreatedAt, afterId] = after ?? [null, null];
    const result = await run<ImportRow>(
      this.db.manager,
      q`SELECT ${raw(COLUMNS)} FROM imports i LEFT JOIN api_tokens t ON t.id = i.requested_by
       WHERE (${districtId}::uuid IS NULL OR i.district_id = ${districtId}) AND (${kind}::text IS NULL OR i.kind = ${kind})
         AND (${status}::text IS NULL OR i.status = ${status})
         AND (${afterCreatedAt}::timestamptz IS NULL OR (i.created_at, i.id) < (${afterCreatedAt}::timestamptz, ${afterId}::uuid))
       ORDER BY i.created_at DESC, i.id DESC LIMIT ${limit}`,
    );
    return result.rows;
  }

  /** Uploaded imports queued, or started, longer ago than this: the ones a live job should be moving. */
  async strandedUploads(olderThanSeconds: number, limit: number): Promise<string[]> {
    const result = await run<{ id: string }>(
      this.db.manager,
      q`SELECT id FROM imports
       WHERE origin = 'upload' AND status IN ('queued','running')
         AND coalesce(started_at, created_at) < now() - make_interval(secs => ${olderThanSeconds})
       ORDER BY created_at LIMIT ${limit}`,
    );
    return result.rows.map((r) => r.id);
  }

  async errors(importId: string, limit: number, afterId: string | null): Promise<ImportErrorRow[]> {
    const result = await run<ImportErrorRow>(
      this.db.manager,
      // e.id: a bare "id" in ORDER BY would mean the select list's text and sort "10" before "9".
      q`SELECT e.id::text, e.part, e.line, e.field, e.message FROM import_errors e
       WHERE e.import_id = ${importId} AND (${afterId}::bigint IS NULL OR e.id > ${afterId}) ORDER BY e.id LIMIT ${limit}`,
    );
    return result.rows;
  }

  async suggestions(importId: string, limit: number, afterId: string | null): Promise<SuggestionRow[]> {
    const result = await run<SuggestionRow>(
      this.db.manager,
      q`SELECT g.id::text, g.line, g.basis, d.id AS "deviceId", d.serial_number AS "serialNumber", d.asset_tag AS "assetTag",
              g.holder, g.candidates, s.id AS "studentId", s.sourced_id AS "studentSourcedId",
              s.given_name || ' ' || s.family_name AS "studentName", s.email AS "studentEmail"
       FROM import_suggestions g JOIN devices d ON d.id = g.device_id LEFT JOIN students s ON s.id = g.student_id
       WHERE g.import_id = ${importId} AND (${afterId}::bigint IS NULL OR g.id > ${afterId}) ORDER BY g.id LIMIT ${limit}`,
    );
    return result.rows;
  }

  /** Takes a queued import (or one whose worker died) to running; null when it has ended already. */
  async claim(em: EntityManager, id: string): Promise<boolean> {
    const result = await run(
      em,
      q`UPDATE imports SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1, error_summary = NULL
       WHERE id = ${id} AND status IN ('queued', 'running')`,
    );
    return result.count > 0;
  }

  /**
   * Those of `tables` (each with a district_id) where the planner expects fewer than `rows` rows of the
   * district: an empty table, or one analysed before the district had rows (in a state, each new
   * district's first load). Batches after a first one must not be planned on those statistics. Names
   * come from the parts' code.
   */
  async sparseTables(tables: readonly string[], districtId: string, rows: number): Promise<SparseTable[]> {
    const sparse: SparseTable[] = [];
    for (const name of tables) {
      const plan = await one<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
        this.db.manager,
        `EXPLAIN (FORMAT JSON) SELECT FROM "${name}" WHERE district_id = $1`,
        [districtId],
      );
      if ((plan?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0) >= rows) continue;
      const table = await one<{ empty: boolean }>(
        this.db.manager,
        `SELECT reltuples < $2 AS empty FROM pg_class WHERE oid = $1::regclass`,
        [name, rows],
      );
      sparse.push({ name, whole: table?.empty ?? true });
    }
    return sparse;
  }

  /** The database's transactions so far (committed and rolled back), as PostgreSQL's statistics last published them. */
  async transactionsSoFar(): Promise<number> {
    const row = await one<{ n: string }>(
      this.db.manager,
      `SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Analyses the tables sparseTables named: a nearly empty one whole, a filled one only in its
   * district_id (a quarter of the time on 400,000 devices; its other statistics still hold).
   */
  async analyze(tables: readonly SparseTable[]): Promise<void> {
    for (const { name, whole } of tables) await run(this.db.manager, q`ANALYZE ${raw(whole ? `"${name}"` : `"${name}" (district_id)`)}`);
  }

  /**
   * The batch's turn (a bigint advisory lock: the import's hash, then the batch's number), held until
   * the transaction ends; a batch takes its predecessor's too, to commit after it.
   */
  async takeBatchTurn(em: EntityManager, importId: string, seq: number): Promise<void> {
    await run(em, q`SELECT pg_advisory_xact_lock((hashtext(${importId})::bigint << 32) | ${seq}::bigint)`);
  }

  /**
   * The totals as the last committed batch left them, locked until this transaction ends. NO KEY UPDATE,
   * so that batches in flight can still write rows that reference the import (their row errors, keys).
   */
  async lockTotals(em: EntityManager, id: string): Promise<ImportTotals | null> {
    const result = await run<ImportTotals>(
      em,
      q`SELECT rows_read AS rows, created, updated, unchanged, failed, skipped, stats, ignored_columns AS "ignoredColumns", progress, checkpoint
       FROM imports WHERE id = ${id} FOR NO KEY UPDATE`,
    );
    return result.rows[0] ?? null;
  }

  async saveTotals(em: EntityManager, id: string, totals: ImportTotals): Promise<void> {
    const checkpoint = totals.checkpoint ? JSON.stringify(totals.checkpoint) : null;
    await run(
      em,
      q`UPDATE imports SET rows_read = ${totals.rows}, created = ${totals.created}, updated = ${totals.updated}, unchanged = ${totals.unchanged},
              failed = ${totals.failed}, skipped = ${totals.skipped}, stats = ${JSON.stringify(totals.stats)},
              ignored_columns = ${totals.ignoredColumns}, progress = ${totals.progress}, checkpoint = ${checkpoint}
       WHERE id = ${id}`,
    );
  }

  /**
   * Moves the batch's row errors from its stage to the import, in line order, up to MAX_ROW_ERRORS per
   * import (a file of garbage would otherwise write one row per bad cell); the rest are only counted.
   * Returns the lines the batch's errors are on.
   */
  async keepStagedErrors(em: EntityManager, stage: BulkStage, importId: string, part: string | null): Promise<number> {
    const result = await run<{ lines: number }>(
      em,
      q`WITH room AS (
         SELECT greatest(${MAX_ROW_ERRORS}::int - count(*), 0) AS n FROM import_errors WHERE import_id = ${importId}
       ), kept AS (
         INSERT INTO import_errors (import_id, part, line, field, message)
         SELECT ${importId}, ${part}, line, field, message FROM ${stage.errors} ORDER BY line LIMIT (SELECT n FROM room)
         RETURNING 1
       ), omitted AS (
         UPDATE imports SET errors_omitted = errors_omitted + ((SELECT count(*) FROM ${stage.errors}) - (SELECT count(*) FROM kept))
         WHERE id = ${importId} AND (SELECT count(*) FROM ${stage.errors}) > (SELECT count(*) FROM kept)
       )
       SELECT count(DISTINCT line)::int AS lines FROM ${stage.errors}`,
    );
    return result.rows[0].lines;
  }

  async insertErrors(em: EntityManager, importId: string, errors: RowError[]): Promise<void> {
    if (!errors.length) return;
    const rows = JSON.stringify(errors.map((e) => ({ ...e, part: e.part ?? null })));
    await run(
      em,
      q`INSERT INTO import_errors (import_id, part, line, field, message)
       SELECT ${importId}, e.part, e.line, e.field, e.message
       FROM ROWS FROM (jsonb_to_recordset(${rows}::jsonb) AS (part text, line integer, field text, message text)) WITH ORDINALITY AS e(part, line, field, message, n)
       ORDER BY e.n`,
    );
  }

  /** A dry run that starts again drops what an earlier attempt kept. */
  async clearErrors(em: EntityManager, importId: string): Promise<void> {
    await run(em, q`DELETE FROM import_errors WHERE import_id = ${importId}`);
  }

  /** The keys (sourcedIds) a batch named, kept until the import ends. */
  async rememberKeys(em: EntityManager, importId: string, keys: string[]): Promise<void> {
    await run(em, q`INSERT INTO import_seen_keys (import_id, keys) VALUES (${importId}, ${keys}::text[])`);
  }

  async forgetKeys(em: EntityManager, importId: string): Promise<void> {
    await run(em, q`DELETE FROM import_seen_keys WHERE import_id = ${importId}`);
  }

  async finish(em: EntityManager, id: string, status: 'completed' | 'failed', errorSummary: string | null): Promise<void> {
    await run(
      em,
      q`UPDATE imports SET status = ${status}, error_summary = ${errorSummary}, finished_at = now(),
              progress = CASE WHEN ${status}::text = 'completed' THEN 1 ELSE progress END
       WHERE id = ${id}`,
    );
  }

  /** A bulk roster stops before withdrawing: it waits for an admin's confirmation (not finished yet). */
  async awaitConfirmation(em: EntityManager, id: string): Promise<void> {
    await run(em, q`UPDATE imports SET status = 'needs_confirmation', progress = 1 WHERE id = ${id}`);
  }

  /**
   * A newer roster of the district supersedes one still awaiting confirmation: its list was drawn up
   * against a roster that is no longer the latest, so it ends failed, its withdrawals never applied.
   * Returns the ids it ended.
   */
  async supersedeAwaiting(em: EntityManager, districtId: string, newer: string): Promise<string[]> {
    const result = await run<{ id: string }>(
      em,
      q`UPDATE imports SET status = 'failed', finished_at = now(),
              error_summary = 'Superseded by a later roster (import ' || ${newer}::text || '); its withdrawals were not applied.'
       WHERE district_id = ${districtId} AND status = 'needs_confirmation' AND id <> ${newer}
       RETURNING id`,
    );
    return result.rows.map((r) => r.id);
  }

  /** The import, locked for the transaction that confirms it; null if absent or another district's. */
  async lockForConfirmation(em: EntityManager, id: string, districtId: string | null): Promise<ImportRow | null> {
    const result = await run<{ id: string }>(
      em,
      q`SELECT id FROM imports WHERE id = ${id} AND (${districtId}::uuid IS NULL OR district_id = ${districtId}) FOR UPDATE`,
    );
    return result.rows.length ? this.findById(id, districtId, em) : null;
  }

  async withdrawalShare(em: EntityManager, importId: string, districtId: string): Promise<WithdrawalShare> {
    const result = await run<WithdrawalShare>(
      em,
      q`SELECT (SELECT count(*)::int FROM import_withdrawals WHERE import_id = ${importId}) AS candidates,
              (SELECT count(*)::int FROM students WHERE district_id = ${districtId} AND enrollment_status = 'active') AS active,
              (SELECT roster_withdrawal_limit_percent::float8 FROM districts WHERE id = ${districtId}) AS "limitPercent"`,
    );
    return result.rows[0];
  }

  /** The students of an import's withdrawals, by sourcedId. */
  async withdrawals(importId: string, limit: number, afterSourcedId: string | null): Promise<WithdrawalRow[]> {
    const result = await run<WithdrawalRow>(
      this.db.manager,
      q`SELECT s.id AS "studentId", s.sourced_id AS "sourcedId", s.identifier, s.given_name AS "givenName", s.family_name AS "familyName",
              s.school_id AS "schoolId", s.enrollment_status AS "enrollmentStatus"
       FROM import_withdrawals w JOIN students s ON s.id = w.student_id
       WHERE w.import_id = ${importId} AND (${afterSourcedId}::text IS NULL OR s.sourced_id > ${afterSourcedId})
       ORDER BY s.sourced_id LIMIT ${limit}`,
    );
    return result.rows;
  }

  /** The students a dry run would withdraw (its transaction rolled back): kept for the report. */
  async keepWithdrawals(em: EntityManager, importId: string, studentIds: string[]): Promise<void> {
    if (!studentIds.length) return;
    await run(
      em,
      q`INSERT INTO import_withdrawals (import_id, student_id) SELECT ${importId}, unnest(${studentIds}::uuid[]) ON CONFLICT DO NOTHING`,
    );
  }

  async withdrawalIds(em: EntityManager, importId: string): Promise<string[]> {
    const result = await run<{ ids: string[] | null }>(
      em,
      q`SELECT array_agg(student_id ORDER BY student_id) AS ids FROM import_withdrawals WHERE import_id = ${importId}`,
    );
    return result.rows[0]?.ids ?? [];
  }

  /** A batch's row errors as its stage holds them, in line order. */
  async stagedErrors(em: EntityManager, stage: BulkStage): Promise<{ line: number; field: string | null; message: string }[]> {
    const result = await run<{ line: number; field: string | null; message: string }>(
      em,
      q`SELECT line, field, message FROM ${stage.errors} ORDER BY line`,
    );
    return result.rows;
  }

  /** An attempt failed and another will follow: the import waits in the queue again. */
  async requeue(em: EntityManager, id: string, errorSummary: string): Promise<void> {
    await run(em, q`UPDATE imports SET status = 'queued', error_summary = ${errorSummary} WHERE id = ${id} AND status = 'running'`);
  }
}
