import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open repair ticket per device: two help-desk agents filing the same repair at once got two
 * tickets. Duplicates already open are closed (the oldest stays open) so the index can be built.
 * Also: imports count the row errors they do not keep (errors_omitted).
 */
export class OneOpenRepairTicket1764001300000 implements MigrationInterface {
  name = 'OneOpenRepairTicket1764001300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE tickets t SET status = 'closed', resolution = 'duplicate', resolved_at = now(), updated_at = now()
      WHERE t.type = 'repair' AND t.status IN ('open','in_progress','waiting')
        AND EXISTS (
          SELECT 1 FROM tickets o
          WHERE o.device_id = t.device_id AND o.type = 'repair' AND o.status IN ('open','in_progress','waiting')
            AND (o.opened_at, o.id) < (t.opened_at, t.id)
        )`);
    await q.query(`
      CREATE UNIQUE INDEX tickets_one_open_repair_per_device ON tickets (device_id)
      WHERE status IN ('open','in_progress','waiting') AND type = 'repair'`);
    // Row errors past the first 10,000 of an import are counted here instead of written.
    await q.query(`ALTER TABLE imports ADD COLUMN errors_omitted integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports DROP COLUMN errors_omitted`);
    await q.query(`DROP INDEX tickets_one_open_repair_per_device`);
  }
}
