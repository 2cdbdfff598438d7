import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What asset-system exports carry, kept instead of dropped:
 * - device_status_mappings: a district's own mapping of its asset system's status labels (matched on
 *   `label_key`, the label lower-cased without spacing or punctuation) to a status and condition; the
 *   labels asset systems ship with are mapped in code, these rows add to or override them;
 * - devices: purchase and lifecycle data, and `holder_unknown` for a device the asset system says is
 *   deployed to someone Reconnect cannot name (status assigned, no assignment; never a spare);
 * - case-insensitive asset tag and serial lookups stay index lookups (expression indexes);
 * - import_suggestions also lists holders an asset export names that match no student, or several.
 */
export class AssetExports1764001100000 implements MigrationInterface {
  name = 'AssetExports1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_status_mappings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
        label_key text NOT NULL CHECK (label_key ~ '^[a-z0-9]+$'),
        status text NOT NULL CHECK (status IN ('in_stock','assigned','in_repair','lost','stolen','retired')),
        condition text CHECK (condition IN ('working','damaged','broken')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT device_status_mappings_district_label_key UNIQUE (district_id, label_key)
      )`);
    await q.query(`
      ALTER TABLE devices
        ADD COLUMN purchase_date date,
        ADD COLUMN purchase_cost numeric(12,2) CHECK (purchase_cost >= 0),
        ADD COLUMN order_number text CHECK (length(order_number) BETWEEN 1 AND 200),
        ADD COLUMN supplier text CHECK (length(supplier) BETWEEN 1 AND 200),
        ADD COLUMN warranty_end date,
        ADD COLUMN end_of_life date,
        ADD COLUMN holder_unknown boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT devices_holder_unknown_assigned CHECK (NOT holder_unknown OR status = 'assigned')`);
    // A status change away from assigned settles an unknown holder, whichever workflow makes it.
    await q.query(`
      CREATE FUNCTION devices_settle_holder_unknown() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status <> 'assigned' THEN
          NEW.holder_unknown := false;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER devices_settle_holder_unknown BEFORE UPDATE OF status ON devices
      FOR EACH ROW EXECUTE FUNCTION devices_settle_holder_unknown()`);
    await q.query(`CREATE INDEX devices_asset_tag_lower_idx ON devices (district_id, lower(asset_tag))`);
    await q.query(`CREATE INDEX devices_serial_lower_idx ON devices (district_id, lower(serial_number))`);
    // The planner needs the expressions' statistics to see that a lookup finds one row.
    await q.query(`ANALYZE devices`);
    await q.query(`
      ALTER TABLE import_suggestions
        ALTER COLUMN student_id DROP NOT NULL,
        ADD COLUMN holder text CHECK (length(holder) <= 320),
        ADD COLUMN candidates integer NOT NULL DEFAULT 1,
        DROP CONSTRAINT import_suggestions_basis_check,
        ADD CONSTRAINT import_suggestions_basis_check CHECK (basis IN ('annotated_user','recent_user','holder_unmatched','holder_ambiguous')),
        ADD CONSTRAINT import_suggestions_student_check CHECK ((student_id IS NULL) = (basis IN ('holder_unmatched','holder_ambiguous')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM import_suggestions WHERE student_id IS NULL`);
    await q.query(`
      ALTER TABLE import_suggestions
        DROP CONSTRAINT import_suggestions_student_check,
        DROP CONSTRAINT import_suggestions_basis_check,
        ADD CONSTRAINT import_suggestions_basis_check CHECK (basis IN ('annotated_user','recent_user')),
        DROP COLUMN candidates,
        DROP COLUMN holder,
        ALTER COLUMN student_id SET NOT NULL`);
    await q.query(`DROP TRIGGER devices_settle_holder_unknown ON devices`);
    await q.query(`DROP FUNCTION devices_settle_holder_unknown()`);
    await q.query(`DROP INDEX devices_serial_lower_idx`);
    await q.query(`DROP INDEX devices_asset_tag_lower_idx`);
    await q.query(`
      ALTER TABLE devices
        DROP CONSTRAINT devices_holder_unknown_assigned,
        DROP COLUMN holder_unknown, DROP COLUMN end_of_life, DROP COLUMN warranty_end, DROP COLUMN supplier,
        DROP COLUMN order_number, DROP COLUMN purchase_cost, DROP COLUMN purchase_date`);
    await q.query(`DROP TABLE device_status_mappings`);
  }
}
