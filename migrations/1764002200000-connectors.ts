import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live connectors (Google Workspace, OneRoster REST) and their runs. A run feeds the imports' own
 * code path, so an import it records has origin 'connector'.
 */
export class Connectors1764002200000 implements MigrationInterface {
  name = 'Connectors1764002200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connectors (
        id uuid PRIMARY KEY,
        district_id uuid NOT NULL REFERENCES districts(id),
        kind text NOT NULL CHECK (kind IN ('google-workspace','oneroster-rest')),
        -- What may be shown: never a secret.
        settings jsonb NOT NULL,
        -- The secrets (key file, client secret), AES-256-GCM with SECRETS_KEY, bound to the connector's id.
        secrets_sealed bytea NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','stopped')),
        stopped_code text,
        stopped_reason text,
        -- Where the next run starts: { "devicesSyncedSince": "2026-12-01", "loginsFrom": "...", "rosterVersion": "1.2" }
        cursors jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT connectors_one_kind_per_district UNIQUE (district_id, kind),
        CONSTRAINT connectors_stopped_consistent CHECK ((status = 'stopped') = (stopped_code IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE connector_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_id uuid NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES districts(id),
        trigger text NOT NULL CHECK (trigger IN ('manual','schedule')),
        -- What this run syncs: devices, logins (Google), roster (OneRoster).
        streams text[] NOT NULL CHECK (cardinality(streams) > 0),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','completed','failed')),
        -- Per stream: its page cursor, bytes and items saved so far, and the import it became.
        progress jsonb NOT NULL DEFAULT '{}',
        items_read integer NOT NULL DEFAULT 0,
        changed integer NOT NULL DEFAULT 0,
        stats jsonb NOT NULL DEFAULT '{}',
        error_code text,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        requested_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT connector_runs_finished_consistent CHECK ((status IN ('completed','failed')) = (finished_at IS NOT NULL))
      )`);
    // Runs of one connector never overlap: at most one is waiting or running.
    await q.query(`CREATE UNIQUE INDEX connector_runs_one_open ON connector_runs (connector_id) WHERE status IN ('queued','running')`);
    await q.query(`CREATE INDEX connector_runs_list_idx ON connector_runs (connector_id, created_at DESC, id DESC)`);
    await q.query(`
      ALTER TABLE imports DROP CONSTRAINT imports_origin_check,
        ADD CONSTRAINT imports_origin_check CHECK (origin IN ('upload','cli','connector'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM imports WHERE origin = 'connector'`);
    await q.query(`
      ALTER TABLE imports DROP CONSTRAINT imports_origin_check,
        ADD CONSTRAINT imports_origin_check CHECK (origin IN ('upload','cli'))`);
    await q.query(`DROP TABLE connector_runs`);
    await q.query(`DROP TABLE connectors`);
  }
}
