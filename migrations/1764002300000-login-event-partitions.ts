import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Months after the current one that get their partition ahead of time (the maintenance job keeps it so). */
const MONTHS_AHEAD = 3;

/**
 * PL/pgSQL creating partition `part` for [lo, hi): the rows the default partition holds for the range move
 * into it first (a partition cannot be added over rows the default holds). The default is locked
 * meanwhile, so no event lands in it for that range between the move and the attach. Shared with the
 * weekly partitions' function (migration 1764003600000).
 */
export const CREATE_PARTITION_PLPGSQL = `        LOCK TABLE login_events_default IN EXCLUSIVE MODE;
        IF NOT EXISTS (SELECT 1 FROM login_events_default WHERE occurred_at >= lo AND occurred_at < hi) THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF login_events FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        ELSE
          EXECUTE format('CREATE TABLE %I (LIKE login_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
          EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)', part, part || '_range', lo, hi);
          EXECUTE format('WITH moved AS (DELETE FROM login_events_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *)
                          INSERT INTO %I SELECT * FROM moved', part) USING lo, hi;
          EXECUTE format('ALTER TABLE login_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
          -- The check let the attach skip its scan; the bound says the same from now on.
          EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_range');
        END IF;`;

/** login_events_ensure_partition(month): a month's partition, created if missing. */
export const ENSURE_MONTH_PARTITION_SQL = `
      CREATE FUNCTION login_events_ensure_partition(month date) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        part text := 'login_events_' || to_char(month, 'YYYY_MM');
        lo timestamptz := date_trunc('month', month)::timestamp AT TIME ZONE 'UTC';
        hi timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'login_events'::regclass AND c.relname = part) THEN
          RETURN false;
        END IF;
${CREATE_PARTITION_PLPGSQL}
        RETURN true;
      END $$`;

/**
 * login_events, the one table that grows without end, in monthly range partitions of occurred_at (UTC
 * months), so that retention drops whole partitions instead of deleting rows:
 * - the key (district_id, occurred_at, dedupe_key) already holds the partition key, so it stays the
 *   table's primary key and ON CONFLICT deduplicates across partitions exactly as before (an event keeps
 *   its time, hence its partition); the success index stays (district_id, student_id, occurred_at);
 * - every month from the earliest any district keeps to three ahead has its partition;
 *   login_events_default takes events of a month with none (an export older than any retention, a
 *   clock far ahead): an import never fails for want of one. login_events_ensure_partition(month) creates a
 *   month's partition, moving the rows the default holds for it;
 * - districts.login_retention_years: how many school years of events a district keeps (the current one
 *   included); login_events_kept_from() is the first instant a district keeps at a given time. Readers
 *   ignore events before it; a partition is dropped once it ends before every district's.
 * The existing rows move month by month into the new table, which then takes the old one's name; the
 * statement triggers checking students are re-created on it (the students' triggers name the table).
 */
export class LoginEventPartitions1764002300000 implements MigrationInterface {
  name = 'LoginEventPartitions1764002300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE districts ADD COLUMN login_retention_years smallint NOT NULL DEFAULT 2,
        ADD CONSTRAINT districts_login_retention_years_check CHECK (login_retention_years BETWEEN 1 AND 10)`);

    // The start of the school year `years - 1` before the current one, at midnight in the district's time
    // zone. The current school year is the one begun on the latest anniversary (on or before today) of the
    // district's school_year_start, or of 1 July where none is set: a school year left unchanged for years
    // still moves on, and one entered ahead of its first day does not expire the year still running.
    await q.query(`
      CREATE FUNCTION login_events_kept_from(time_zone text, school_year_start date, years int, at timestamptz)
      RETURNS timestamptz LANGUAGE sql STABLE AS $$
        WITH today AS (SELECT (at AT TIME ZONE time_zone)::date AS day, coalesce(school_year_start, date '2000-07-01') AS start),
        anniversary AS (
          SELECT day, (start + make_interval(years => extract(year FROM day)::int - extract(year FROM start)::int))::date AS on_day FROM today
        )
        SELECT ((CASE WHEN on_day <= day THEN on_day ELSE (on_day - interval '1 year')::date END)
                - make_interval(years => years - 1))::date::timestamp AT TIME ZONE time_zone
        FROM anniversary
      $$`);

    await q.query(`DROP TRIGGER login_events_student_insert ON login_events`);
    await q.query(`DROP TRIGGER login_events_student_update ON login_events`);
    await q.query(`ALTER TABLE login_events RENAME TO login_events_unpartitioned`);
    await q.query(`ALTER TABLE login_events_unpartitioned RENAME CONSTRAINT login_events_pkey TO login_events_unpartitioned_pkey`);
    await q.query(`ALTER INDEX login_events_success_idx RENAME TO login_events_unpartitioned_success_idx`);

    await q.query(`
      CREATE TABLE login_events (
        district_id uuid NOT NULL,
        student_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        event text NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
        dedupe_key uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT login_events_pkey PRIMARY KEY (district_id, occurred_at, dedupe_key)
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query(
      `CREATE INDEX login_events_success_idx ON login_events (district_id, student_id, occurred_at) WHERE event = 'login_success'`,
    );
    await q.query(`CREATE TABLE login_events_default PARTITION OF login_events DEFAULT`);

    // A month's partition, created if missing (the rows the default holds for it move in).
    await q.query(ENSURE_MONTH_PARTITION_SQL);

    // Every month that holds events or that a district keeps (so imports within retention land in their
    // month), to three ahead. Month by month: one statement (and one sort) a month, not one for all.
    const months = (await q.query(
      `SELECT to_char(m, 'YYYY-MM-DD') AS month FROM generate_series(
         date_trunc('month', least(
           (SELECT min(occurred_at) FROM login_events_unpartitioned),
           coalesce((SELECT min(login_events_kept_from(time_zone, school_year_start, login_retention_years, now())) FROM districts),
                    login_events_kept_from('UTC', NULL, 2, now()))) AT TIME ZONE 'UTC'),
         date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ${MONTHS_AHEAD}), interval '1 month') AS m`,
    )) as { month: string }[];
    for (const { month } of months) {
      await q.query(`SELECT login_events_ensure_partition($1::date)`, [month]);
      await q.query(
        `INSERT INTO login_events
         SELECT * FROM login_events_unpartitioned
         WHERE occurred_at >= $1::date::timestamp AT TIME ZONE 'UTC' AND occurred_at < ($1::date + interval '1 month') AT TIME ZONE 'UTC'
         ORDER BY district_id, occurred_at, dedupe_key`,
        [month],
      );
    }
    await q.query(`DROP TABLE login_events_unpartitioned`);

    for (const event of ['INSERT', 'UPDATE']) {
      await q.query(`
        CREATE TRIGGER login_events_student_${event.toLowerCase()} AFTER ${event} ON login_events
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION login_events_students_exist()`);
    }
    await q.query(`ANALYZE login_events`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_events RENAME TO login_events_partitioned`);
    await q.query(`ALTER TABLE login_events_partitioned RENAME CONSTRAINT login_events_pkey TO login_events_partitioned_pkey`);
    await q.query(`ALTER INDEX login_events_success_idx RENAME TO login_events_partitioned_success_idx`);
    await q.query(`CREATE TABLE login_events (LIKE login_events_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await q.query(`ALTER TABLE login_events ADD CONSTRAINT login_events_pkey PRIMARY KEY (district_id, occurred_at, dedupe_key)`);
    await q.query(
      `CREATE INDEX login_events_success_idx ON login_events (district_id, student_id, occurred_at) WHERE event = 'login_success'`,
    );
    await q.query(`INSERT INTO login_events SELECT * FROM login_events_partitioned`);
    await q.query(`DROP TABLE login_events_partitioned`);
    for (const event of ['INSERT', 'UPDATE']) {
      await q.query(`
        CREATE TRIGGER login_events_student_${event.toLowerCase()} AFTER ${event} ON login_events
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION login_events_students_exist()`);
    }
    await q.query(`DROP FUNCTION login_events_ensure_partition(date), login_events_kept_from(text, date, int, timestamptz)`);
    await q.query(`ALTER TABLE districts DROP CONSTRAINT districts_login_retention_years_check, DROP COLUMN login_retention_years`);
  }
}
