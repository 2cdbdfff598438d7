import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write-back outbox: what a custody change means for the Chromebook in Google Admin (its annotated
 * user, asset id and location; disabled when lost, re-enabled when found, deprovisioned when retired),
 * written in the change's own transaction and delivered by a job.
 */
export class GoogleWriteBacks1764002210000 implements MigrationInterface {
  name = 'GoogleWriteBacks1764002210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE google_write_backs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        connector_id uuid NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        -- Google's id of the Chromebook, as the device had it when the change was made.
        google_device_id text NOT NULL,
        action text NOT NULL CHECK (action IN ('annotate','disable','reenable','deprovision')),
        -- annotate: { annotatedUser, annotatedAssetId, annotatedLocation }.
        payload jsonb NOT NULL DEFAULT '{}',
        -- The custody change that asked for it: issue, return, report_loss, recover, retire.
        cause text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('dry_run','on')),
        -- A dry run is recorded only; a real one waits, then is delivered or failed.
        status text NOT NULL CHECK (status IN ('recorded','pending','delivered','failed')),
        attempts integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT google_write_backs_mode_status CHECK ((mode = 'dry_run') = (status = 'recorded'))
      )`);
    await q.query(`CREATE INDEX google_write_backs_device_idx ON google_write_backs (device_id, created_at, id)`);
    await q.query(`CREATE INDEX google_write_backs_pending_idx ON google_write_backs (created_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE google_write_backs`);
  }
}
