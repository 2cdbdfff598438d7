import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_PARTITION_PLPGSQL, ENSURE_MONTH_PARTITION_SQL } from './1764002300000-login-event-partitions.js';

/** Weeks after the current one that get their partition ahead of time (the maintenance job keeps it so). */
const WEEKS_AHEAD = 13;

/** Names of login_events' monthly partitions (login_events_YYYY_MM); weekly ones are login_events_IYYY_wIW. */
const MONTHLY = `'^login_events_[0-9]{4}_[0-9]{2}$'`;

/**
 * login_events in ISO-week partitions (Monday 00:00 UTC to the next) instead of months: a month partition's
 * indexes outgrow shared_buffers in a big district, and inserts into them read and log whole pages
 * (bench/RESULTS.md, "Login events in the big district"). Months holding rows stay as they are and serve
 * their month until retention drops them whole; the empty ones (those ahead, a fresh database's) give way
 * to weeks. A week overlapping a remaining month gets a partition for the rest of the week only.
 * - login_events_partition_bounds(): each partition's range, read from the catalogue (the default has none);
 * - login_events_earliest_kept(at): the first instant any district keeps (the default retention without one);
 * - login_events_ensure_week(day): the partition of day's week, moving in what the default holds for it;
 * - login_events_ensure_partitions(at, weeks_ahead): every week the default holds events of, and every week
 *   from the earliest kept to weeks_ahead after at's; returns the Mondays whose partition it created.
 */
export class LoginEventWeeklyPartitions1764003600000 implements MigrationInterface {
  name = 'LoginEventWeeklyPartitions1764003600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION login_events_partition_bounds()
      RETURNS TABLE (name text, range_from timestamptz, range_to timestamptz, approximate_rows float8) LANGUAGE sql STABLE AS $$
        SELECT name, bounds[1]::timestamptz, bounds[2]::timestamptz, greatest(reltuples, 0)::float8
        FROM (SELECT c.relname::text AS name, c.reltuples,
                     regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') AS bounds
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'login_events'::regclass) p
        WHERE bounds IS NOT NULL
      $$`);
    await q.query(`
      CREATE FUNCTION login_events_earliest_kept(at timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT min(login_events_kept_from(time_zone, school_year_start, login_retention_years, at)) FROM districts),
                        login_events_kept_from('UTC', NULL, 2, at))
      $$`);
    await q.query(`
      CREATE FUNCTION login_events_ensure_week(day date) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        monday date := date_trunc('week', day)::date;
        part text := 'login_events_' || to_char(monday, 'IYYY_"w"IW');
        lo timestamptz := monday::timestamp AT TIME ZONE 'UTC';
        hi timestamptz := (monday + 7)::timestamp AT TIME ZONE 'UTC';
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'login_events'::regclass AND c.relname = part) THEN
          RETURN false;
        END IF;
        -- What partitions (months) already cover stays theirs: one begun before the week moves its start
        -- to that one's end, one begun within it moves its end to that one's start.
        SELECT coalesce(max(b.range_to) FILTER (WHERE b.range_from <= lo), lo), coalesce(min(b.range_from) FILTER (WHERE b.range_from > lo), hi)
        INTO lo, hi
        FROM login_events_partition_bounds() b WHERE b.range_from < hi AND b.range_to > lo;
        IF lo >= hi THEN
          RETURN false;
        END IF;
${CREATE_PARTITION_PLPGSQL}
        RETURN true;
      END $$`);
    await q.query(`
      CREATE FUNCTION login_events_ensure_partitions(at timestamptz, weeks_ahead int) RETURNS SETOF date LANGUAGE sql AS $$
        SELECT w::date FROM (
          SELECT DISTINCT date_trunc('week', occurred_at AT TIME ZONE 'UTC') AS w FROM login_events_default
          UNION
          SELECT generate_series(date_trunc('week', least(at, login_events_earliest_kept(at)) AT TIME ZONE 'UTC'),
                                 date_trunc('week', at AT TIME ZONE 'UTC') + make_interval(weeks => weeks_ahead), interval '1 week')
        ) weeks
        WHERE login_events_ensure_week(w::date)
        ORDER BY w
      $$`);
    await q.query(`DROP FUNCTION login_events_ensure_partition(date)`);

    // Empty months give way to weeks; the table is locked against inserts while they are judged, so
    // none holding a row is dropped.
    await q.query(`
      DO $$
      DECLARE
        part text;
        empty boolean;
      BEGIN
        LOCK TABLE login_events IN SHARE ROW EXCLUSIVE MODE;
        FOR part IN SELECT name FROM login_events_partition_bounds() WHERE name ~ ${MONTHLY} LOOP
          EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I)', part) INTO empty;
          IF empty THEN
            EXECUTE format('DROP TABLE %I', part);
          END IF;
        END LOOP;
      END $$`);
    await q.query(`SELECT login_events_ensure_partitions(now(), ${WEEKS_AHEAD})`);
  }

  /** Back to months: weekly partitions' rows go through the default partition into their months. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(ENSURE_MONTH_PARTITION_SQL);
    await q.query(`
      DO $$
      DECLARE
        part text;
      BEGIN
        FOR part IN SELECT name FROM login_events_partition_bounds() WHERE name !~ ${MONTHLY} LOOP
          EXECUTE format('ALTER TABLE login_events DETACH PARTITION %I', part);
          EXECUTE format('INSERT INTO login_events SELECT * FROM %I', part);
          EXECUTE format('DROP TABLE %I', part);
        END LOOP;
      END $$`);
    await q.query(
      `SELECT login_events_ensure_partition(m::date) FROM (
         SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC') AS m FROM login_events_default
         UNION
         SELECT generate_series(date_trunc('month', login_events_earliest_kept(now()) AT TIME ZONE 'UTC'),
                                date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', interval '1 month')
       ) months ORDER BY m`,
    );
    await q.query(`
      DROP FUNCTION login_events_ensure_partitions(timestamptz, int), login_events_ensure_week(date),
        login_events_earliest_kept(timestamptz), login_events_partition_bounds()`);
  }
}
