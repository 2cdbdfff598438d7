import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue's change feed (GET /tickets/changes): each ticket row carries the id of the transaction
 * that last wrote it (`changed_xid`, set by a trigger on every INSERT and UPDATE, whoever writes). A
 * poll answers the tickets written by transactions its cursor's snapshot could not see yet, so a
 * long transaction (a gap scan) that commits after a poll is never missed, whatever its timestamps.
 * Rows older than the feed read as transaction 1: older than any cursor.
 */
export class TicketChanges1764002520000 implements MigrationInterface {
  name = 'TicketChanges1764002520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN changed_xid xid8 NOT NULL DEFAULT '1'::xid8`);
    await q.query(`
      CREATE FUNCTION tickets_changed_xid() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.changed_xid := pg_current_xact_id();
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tickets_changed_xid BEFORE INSERT OR UPDATE ON tickets
      FOR EACH ROW EXECUTE FUNCTION tickets_changed_xid()`);
    await q.query(`CREATE INDEX tickets_changes_idx ON tickets (district_id, changed_xid, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_changes_idx`);
    await q.query(`DROP TRIGGER tickets_changed_xid ON tickets`);
    await q.query(`DROP FUNCTION tickets_changed_xid()`);
    await q.query(`ALTER TABLE tickets DROP COLUMN changed_xid`);
  }
}
