import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Districts (every record hangs off one), API tokens and the append-only audit log. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE districts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
        time_zone text NOT NULL DEFAULT 'America/New_York',
        gap_threshold_days integer NOT NULL DEFAULT 5 CHECK (gap_threshold_days BETWEEN 1 AND 60),
        sync_stale_days integer NOT NULL DEFAULT 7 CHECK (sync_stale_days BETWEEN 1 AND 365),
        hotspot_idle_days integer NOT NULL DEFAULT 7 CHECK (hotspot_idle_days BETWEEN 1 AND 365),
        spare_pool_minimum integer NOT NULL DEFAULT 0 CHECK (spare_pool_minimum >= 0),
        closure_dates date[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT districts_code_key UNIQUE (code)
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('state_admin','district_admin','tech','helpdesk','attendance','auditor')),
        district_id uuid REFERENCES districts(id),
        secret_hash bytea NOT NULL,
        created_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT api_tokens_secret_hash_key UNIQUE (secret_hash),
        CONSTRAINT api_tokens_district_by_role CHECK ((role = 'state_admin') = (district_id IS NULL))
      )`);
    await q.query(`CREATE INDEX api_tokens_district_idx ON api_tokens (district_id)`);
    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_token_id uuid REFERENCES api_tokens(id),
        actor text NOT NULL,
        district_id uuid REFERENCES districts(id),
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb,
        request_id text
      )`);
    await q.query(`CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id)`);
    await q.query(`CREATE INDEX audit_events_district_idx ON audit_events (district_id, id)`);
    // The audit log is append-only for everyone, the application included.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE districts`);
  }
}
