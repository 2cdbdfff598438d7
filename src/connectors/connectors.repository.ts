import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { q, raw, run } from '../database/sql.js';
import type { ConnectorKind, ConnectorSettings, Stream } from './connector.domain.js';

export interface ConnectorRow {
  id: string;
  districtId: string;
  kind: ConnectorKind;
  settings: ConnectorSettings;
  secretsSealed: Buffer;
  status: 'active' | 'stopped';
  stoppedCode: string | null;
  stoppedReason: string | null;
  cursors: ConnectorCursors;
  timeZone: string;
  createdAt: Date;
  updatedAt: Date;
  createdAtKey: string;
}

/** Where the next run of a connector starts. */
export interface ConnectorCursors {
  /** Devices synced on or after this date are asked for (a day earlier than the last full or incremental run began). */
  devicesSyncedSince?: string;
  /** The newest login activity stored; the next run asks from here (repeats are deduplicated). */
  loginsFrom?: string;
  /** The OneRoster version the server answered with. */
  rosterVersion?: string;
}

/** One stream of a run as far as it got: fetching pages (its cursor and what is saved), then its import. */
export interface StreamProgress {
  /** The query the run asks with, fixed at its start so a resumed run pages the same list. */
  params: Record<string, string>;
  cursor: string | null;
  pages: number;
  items: number;
  /** Bytes of the page file that hold whole pages; a resumed run cuts the file back to this. */
  bytes: number;
  fetched: boolean;
  /** The newest mark (event time) seen in the pages. */
  newest: string | null;
  importId: string | null;
  result: StreamResult | null;
}

export interface StreamResult {
  importStatus: string;
  created: number;
  updated: number;
  failed: number;
  stats: Record<string, number>;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface RunRow {
  id: string;
  connectorId: string;
  districtId: string;
  trigger: 'manual' | 'schedule';
  streams: Stream[];
  status: RunStatus;
  progress: Partial<Record<Stream, StreamProgress>>;
  itemsRead: number;
  changed: number;
  stats: Record<string, number>;
  errorCode: string | null;
  error: string | null;
  attempts: number;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAtKey: string;
}

const CONNECTOR_COLUMNS = `c.id, c.district_id AS "districtId", c.kind, c.settings, c.secrets_sealed AS "secretsSealed", c.status,
  c.stopped_code AS "stoppedCode", c.stopped_reason AS "stoppedReason", c.cursors, d.time_zone AS "timeZone",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey"`;

const RUN_COLUMNS = `r.id, r.connector_id AS "connectorId", r.district_id AS "districtId", r.trigger, r.streams, r.status, r.progress,
  r.items_read AS "itemsRead", r.changed, r.stats, r.error_code AS "errorCode", r.error, r.attempts, r.requested_by AS "requestedBy",
  r.created_at AS "createdAt", r.started_at AS "startedAt", r.finished_at AS "finishedAt",
  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey"`;

@Injectable()
export class ConnectorsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    input: { id: string; districtId: string; kind: ConnectorKind; settings: ConnectorSettings; secretsSealed: Buffer },
  ): Promise<void> {
    await run(
      em,
      q`INSERT INTO connectors (id, district_id, kind, settings, secrets_sealed)
       VALUES (${input.id}, ${input.districtId}, ${input.kind}, ${JSON.stringify(input.settings)}::jsonb, ${input.secretsSealed})`,
    );
  }

  /** The connector if `districtId` (null: any district) may see it; `lock` reads it FOR UPDATE. */
  async find(id: string, districtId: string | null, em: EntityManager = this.db.manager, lock = false): Promise<ConnectorRow | null> {
    const result = await run<ConnectorRow>(
      em,
      q`SELECT ${raw(CONNECTOR_COLUMNS)} FROM connectors c JOIN districts d ON d.id = c.district_id
       WHERE c.id = ${id} AND (${districtId}::uuid IS NULL OR c.district_id = ${districtId})${raw(lock ? ' FOR UPDATE OF c' : '')}`,
    );
    return result.rows[0] ?? null;
  }

  async list(districtId: string | null, limit: number, after: [string, string] | null): Promise<ConnectorRow[]> {
    const [afterCreatedAt, afterId] = after ?? [null, null];
    const result = await run<ConnectorRow>(
      this.db.manager,
      q`SELECT ${raw(CONNECTOR_COLUMNS)} FROM connectors c JOIN districts d ON d.id = c.district_id
       WHERE (${districtId}::uuid IS NULL OR c.district_id = ${districtId})
         AND (${afterCreatedAt}::timestamptz IS NULL OR (c.created_at, c.id) < (${afterCreatedAt}::timestamptz, ${afterId}::uuid))
       ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit}`,
    );
    return result.rows;
  }

  /** Active connectors, for the schedulers' check. */
  async active(): Promise<ConnectorRow[]> {
    const result = await run<ConnectorRow>(
      this.db.manager,
      q`SELECT ${raw(CONNECTOR_COLUMNS)} FROM connectors c JOIN districts d ON d.id = c.district_id WHERE c.status = 'active'`,
    );
    return result.rows;
  }

  /** New settings (and secrets, when replaced); a connector stopped for its credential starts again. */
  async update(em: EntityManager, id: string, settings: ConnectorSettings, secretsSealed: Buffer | null): Promise<void> {
    await run(
      em,
      q`UPDATE connectors SET settings = ${JSON.stringify(settings)}::jsonb, secrets_sealed = coalesce(${secretsSealed}::bytea, secrets_sealed),
         status = 'active', stopped_code = NULL, stopped_reason = NULL, updated_at = now()
       WHERE id = ${id}`,
    );
  }

  async stop(em: EntityManager, id: string, code: string, reason: string): Promise<void> {
    await run(
      em,
      q`UPDATE connectors SET status = 'stopped', stopped_code = ${code}, stopped_reason = ${reason}, updated_at = now() WHERE id = ${id}`,
    );
  }

  async saveCursors(em: EntityManager, id: string, cursors: ConnectorCursors): Promise<void> {
    await run(em, q`UPDATE connectors SET cursors = cursors || ${JSON.stringify(cursors)}::jsonb, updated_at = now() WHERE id = ${id}`);
  }

  /**
   * A queued run, unless one is queued or running already (the partial unique index decides, so two
   * requests at once cannot both start one): null then.
   */
  async insertRun(
    em: EntityManager,
    input: { connectorId: string; districtId: string; trigger: 'manual' | 'schedule'; streams: Stream[]; requestedBy: string | null },
  ): Promise<string | null> {
    const result = await run<{ id: string }>(
      em,
      q`INSERT INTO connector_runs (connector_id, district_id, trigger, streams, requested_by)
       VALUES (${input.connectorId}, ${input.districtId}, ${input.trigger}, ${input.streams}::text[], ${input.requestedBy})
       ON CONFLICT (connector_id) WHERE status IN ('queued','running') DO NOTHING
       RETURNING id`,
    );
    return result.rows[0]?.id ?? null;
  }

  async openRun(connectorId: string, em: EntityManager = this.db.manager): Promise<RunRow | null> {
    const result = await run<RunRow>(
      em,
      q`SELECT ${raw(RUN_COLUMNS)} FROM connector_runs r WHERE r.connector_id = ${connectorId} AND r.status IN ('queued','running')`,
    );
    return result.rows[0] ?? null;
  }

  /** Runs queued or running whose job may have been lost (Redis restarted empty), oldest first. */
  async openRunsOlderThan(seconds: number): Promise<string[]> {
    const result = await run<{ id: string }>(
      this.db.manager,
      q`SELECT id FROM connector_runs WHERE status IN ('queued','running')
         AND coalesce(started_at, created_at) < now() - make_interval(secs => ${seconds}) ORDER BY created_at LIMIT 100`,
    );
    return result.rows.map((r) => r.id);
  }

  async findRun(id: string, connectorId: string | null, em: EntityManager = this.db.manager): Promise<RunRow | null> {
    const result = await run<RunRow>(
      em,
      q`SELECT ${raw(RUN_COLUMNS)} FROM connector_runs r WHERE r.id = ${id} AND (${connectorId}::uuid IS NULL OR r.connector_id = ${connectorId})`,
    );
    return result.rows[0] ?? null;
  }

  async lastRun(connectorId: string): Promise<RunRow | null> {
    const result = await run<RunRow>(
      this.db.manager,
      q`SELECT ${raw(RUN_COLUMNS)} FROM connector_runs r WHERE r.connector_id = ${connectorId} ORDER BY r.created_at DESC, r.id DESC LIMIT 1`,
    );
    return result.rows[0] ?? null;
  }

  /** Takes a queued or running run for an attempt; null when it has ended already. */
  async startRun(em: EntityManager, id: string): Promise<RunRow | null> {
    const result = await run<{ id: string }>(
      em,
      q`UPDATE connector_runs SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now())
       WHERE id = ${id} AND status IN ('queued','running') RETURNING id`,
    );
    return result.rows[0] ? this.findRun(id, null, em) : null;
  }

  async saveProgress(em: EntityManager, id: string, stream: Stream, progress: StreamProgress): Promise<void> {
    await run(
      em,
      q`UPDATE connector_runs SET progress = jsonb_set(progress, ${[stream]}::text[], ${JSON.stringify(progress)}::jsonb, true)
       WHERE id = ${id}`,
    );
  }

  /** The last error of an attempt that will be retried: shown while the run waits. */
  async noteError(em: EntityManager, id: string, code: string, error: string): Promise<void> {
    await run(em, q`UPDATE connector_runs SET error_code = ${code}, error = ${error} WHERE id = ${id}`);
  }

  async finishRun(
    em: EntityManager,
    id: string,
    outcome: {
      status: 'completed' | 'failed';
      itemsRead: number;
      changed: number;
      stats: Record<string, number>;
      errorCode: string | null;
      error: string | null;
    },
  ): Promise<void> {
    await run(
      em,
      q`UPDATE connector_runs SET status = ${outcome.status}, items_read = ${outcome.itemsRead}, changed = ${outcome.changed},
         stats = ${JSON.stringify(outcome.stats)}::jsonb, error_code = ${outcome.errorCode}, error = ${outcome.error}, finished_at = now()
       WHERE id = ${id} AND status IN ('queued','running')`,
    );
  }
}
