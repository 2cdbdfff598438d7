import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff accounts, their server-side sessions, each district's identity provider, and staff as actors. */
export class StaffSignIn1764000700000 implements MigrationInterface {
  name = 'StaffSignIn1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$' AND length(email) <= 320),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('state_admin','district_admin','tech','helpdesk','attendance','auditor')),
        district_id uuid REFERENCES districts(id),
        school_ids uuid[] CHECK (school_ids IS NULL OR cardinality(school_ids) BETWEEN 1 AND 500),
        active boolean NOT NULL DEFAULT true,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT staff_users_district_by_role CHECK ((role = 'state_admin') = (district_id IS NULL)),
        CONSTRAINT staff_users_school_scope_in_district CHECK (school_ids IS NULL OR district_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email))`);
    await q.query(`CREATE INDEX staff_users_district_idx ON staff_users (district_id, created_at, id)`);
    await q.query(`CREATE INDEX staff_users_list_idx ON staff_users (created_at, id)`);

    await q.query(`ALTER TABLE api_tokens ADD COLUMN staff_user_id uuid REFERENCES staff_users(id)`);
    await q.query(`CREATE INDEX api_tokens_staff_user_idx ON api_tokens (staff_user_id) WHERE staff_user_id IS NOT NULL`);

    // A session belongs to a staff user (signed in with the identity provider) or to a token (token
    // sign-in); only a hash of its cookie value is stored.
    await q.query(`
      CREATE TABLE staff_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        secret_hash bytea NOT NULL,
        staff_user_id uuid REFERENCES staff_users(id) ON DELETE CASCADE,
        api_token_id uuid REFERENCES api_tokens(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        CONSTRAINT staff_sessions_secret_hash_key UNIQUE (secret_hash),
        CONSTRAINT staff_sessions_one_owner CHECK ((staff_user_id IS NULL) <> (api_token_id IS NULL))
      )`);
    await q.query(`CREATE INDEX staff_sessions_staff_user_idx ON staff_sessions (staff_user_id) WHERE staff_user_id IS NOT NULL`);
    await q.query(`CREATE INDEX staff_sessions_api_token_idx ON staff_sessions (api_token_id) WHERE api_token_id IS NOT NULL`);
    await q.query(`CREATE INDEX staff_sessions_last_seen_idx ON staff_sessions (last_seen_at)`);

    await q.query(`
      CREATE TABLE district_identity_providers (
        district_id uuid PRIMARY KEY REFERENCES districts(id),
        issuer text NOT NULL CHECK (length(issuer) <= 500),
        client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
        client_secret_encrypted bytea NOT NULL,
        allowed_domains text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX district_identity_providers_domains_idx ON district_identity_providers USING gin (allowed_domains)`);

    await q.query(`ALTER TABLE audit_events ADD COLUMN actor_staff_user_id uuid REFERENCES staff_users(id)`);
    await q.query(`ALTER TABLE ticket_events ADD COLUMN actor_staff_user_id uuid REFERENCES staff_users(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_events DROP COLUMN actor_staff_user_id`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN actor_staff_user_id`);
    await q.query(`DROP TABLE district_identity_providers`);
    await q.query(`DROP TABLE staff_sessions`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN staff_user_id`);
    await q.query(`DROP TABLE staff_users`);
  }
}
