import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The custody ledger: who held which device when, its repairs, and its reported losses. */
const LEDGER = ['assignments', 'repairs', 'device_losses'];

/**
 * Federal programme records (47 CFR 54.1715) must be kept at least ten years, so the database refuses
 * to forget custody history, whoever asks:
 * - DELETE on the ledger tables is refused, unless the transaction names an erasure
 *   (`SET LOCAL reconnect.custody_erasure = '<reference>'`): the one deliberate way out, for an operator
 *   carrying out a deletion the district has decided on (a student-data deletion request under
 *   Connecticut's PA 16-189 once the retention period is over, or one counsel rules overrides it). Each
 *   erased row leaves an audit event (`erase`, the reference, no personal data). The product has no such
 *   route: it never deletes custody history.
 * - TRUNCATE of them is refused always.
 * - A loan's history is not rewritten either: its device, student, kind and start never change, and an
 *   ended loan's end (when, why) stays as recorded.
 * Also: the service plan of a hotspot's line (carriers' `Plan` column), which the inventory must name.
 */
export class CustodyLedgerRetention1764002500000 implements MigrationInterface {
  name = 'CustodyLedgerRetention1764002500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION custody_ledger_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        erasure text := nullif(current_setting('reconnect.custody_erasure', true), '');
      BEGIN
        IF TG_OP = 'TRUNCATE' OR erasure IS NULL THEN
          RAISE EXCEPTION 'the custody ledger (%) is kept: rows are never deleted', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME,
              HINT = 'custody history is federal programme evidence (47 CFR 54.1715); see README "Custody history is kept"';
        END IF;
        INSERT INTO audit_events (actor, district_id, entity_type, entity_id, action, after)
        VALUES (session_user || ' (custody erasure)', OLD.district_id,
                CASE TG_TABLE_NAME WHEN 'assignments' THEN 'assignment' WHEN 'repairs' THEN 'repair' ELSE 'device_loss' END,
                OLD.id::text, 'erase',
                jsonb_build_object('reference', erasure));
        RETURN OLD;
      END $$`);
    for (const table of LEDGER) {
      await q.query(`CREATE TRIGGER ${table}_kept BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION custody_ledger_keep()`);
      await q.query(
        `CREATE TRIGGER ${table}_kept_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION custody_ledger_keep()`,
      );
    }
    await q.query(`
      CREATE FUNCTION assignments_history_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.district_id, NEW.device_id, NEW.student_id, NEW.kind, NEW.started_at)
             IS DISTINCT FROM (OLD.district_id, OLD.device_id, OLD.student_id, OLD.kind, OLD.started_at)
           OR (OLD.ended_at IS NOT NULL AND (NEW.ended_at, NEW.end_reason) IS DISTINCT FROM (OLD.ended_at, OLD.end_reason)) THEN
          RAISE EXCEPTION 'assignment % is custody history: who held which device, from and until when, is not rewritten', OLD.id
            USING ERRCODE = 'restrict_violation', TABLE = 'assignments';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER assignments_history_fixed BEFORE UPDATE ON assignments
      FOR EACH ROW EXECUTE FUNCTION assignments_history_fixed()`);

    await q.query(`ALTER TABLE devices ADD COLUMN service_plan text CHECK (length(service_plan) BETWEEN 1 AND 200)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE devices DROP COLUMN service_plan`);
    await q.query(`DROP TRIGGER assignments_history_fixed ON assignments`);
    await q.query(`DROP FUNCTION assignments_history_fixed()`);
    for (const table of LEDGER) {
      await q.query(`DROP TRIGGER ${table}_kept ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_kept_truncate ON ${table}`);
    }
    await q.query(`DROP FUNCTION custody_ledger_keep()`);
  }
}
