import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { q, raw, run, type SqlText } from '../database/sql.js';

/** A month partition of login_events: [from, to), in UTC months. */
export interface LoginEventPartition {
  name: string;
  from: Date;
  to: Date;
  /** PostgreSQL's estimate (pg_class.reltuples): counting a month of a state's events would read all of it. */
  approximateRows: number;
}

/** The earliest instant any district keeps at `at`; with no district yet, what the default retention keeps. */
const keptFrom = (at: Date): SqlText =>
  q`coalesce((SELECT min(login_events_kept_from(time_zone, school_year_start, login_retention_years, ${at}::timestamptz)) FROM districts),
             login_events_kept_from('UTC', NULL, 2, ${at}::timestamptz))`;

/**
 * The partitions of login_events (migration 1764002300000 made the table and its functions). Creating one
 * and dropping one both lock the whole table briefly; `lock_timeout` keeps the job from queueing every
 * reader behind it while a long import holds the table: the job fails and is retried later instead.
 */
@Injectable()
export class LoginEventPartitionsRepository {
  /**
   * Creates the partition of each month the default partition holds events of (moving them in), then of
   * every month from the earliest any district keeps at `at` to `monthsAhead` after the month of `at`, so
   * that an import within retention lands in its month. Returns the months created (YYYY-MM-DD, first days).
   */
  async ensure(em: EntityManager, at: Date, monthsAhead: number): Promise<string[]> {
    await run(em, q`SET LOCAL lock_timeout = '5s'`);
    const result = await run<{ month: string }>(
      em,
      q`SELECT to_char(m, 'YYYY-MM-DD') AS month FROM (
          SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC') AS m FROM login_events_default
          UNION
          SELECT generate_series(date_trunc('month', least(${at}::timestamptz, ${keptFrom(at)}) AT TIME ZONE 'UTC'),
                                 date_trunc('month', ${at}::timestamptz AT TIME ZONE 'UTC') + make_interval(months => ${monthsAhead}::int),
                                 interval '1 month')
        ) months
        WHERE login_events_ensure_partition(m::date)
        ORDER BY m`,
    );
    return result.rows.map((r) => r.month);
  }

  /**
   * Partitions that end at or before the earliest instant any district keeps at `at`: no district reads
   * anything in them. The default partition is never one (it has no end).
   */
  async expired(em: EntityManager, at: Date): Promise<LoginEventPartition[]> {
    const result = await run<LoginEventPartition>(
      em,
      q`WITH parts AS (
          SELECT c.relname AS name, c.reltuples,
                 regexp_match(pg_get_expr(c.relpartbound, c.oid), ${raw(`'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)'`)}) AS bounds
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'login_events'::regclass
        ), kept AS (
          SELECT ${keptFrom(at)} AS since
        )
        SELECT name, bounds[1]::timestamptz AS "from", bounds[2]::timestamptz AS "to", greatest(reltuples, 0)::float8 AS "approximateRows"
        FROM parts, kept
        WHERE bounds IS NOT NULL AND bounds[2]::timestamptz <= kept.since
        ORDER BY bounds[1]::timestamptz`,
    );
    return result.rows;
  }

  /**
   * Districts keeping less than the longest-kept district: their events before their own first kept
   * instant sit in partitions kept for others. `since` is that instant.
   */
  async shorterRetention(em: EntityManager, at: Date): Promise<{ districtId: string; since: Date }[]> {
    const result = await run<{ districtId: string; since: Date }>(
      em,
      q`WITH kept AS (
          SELECT id, login_events_kept_from(time_zone, school_year_start, login_retention_years, ${at}::timestamptz) AS since FROM districts
        )
        SELECT id AS "districtId", since FROM kept WHERE since > (SELECT min(since) FROM kept) ORDER BY id`,
    );
    return result.rows;
  }

  /**
   * Deletes up to `limit` of a district's events before `since`, oldest first, through the key's index
   * (district_id, occurred_at, …) of each partition: a batch reads only the rows it deletes.
   */
  async deleteBefore(em: EntityManager, districtId: string, since: Date, limit: number): Promise<number> {
    const result = await run(
      em,
      q`DELETE FROM login_events e
        USING (SELECT occurred_at, dedupe_key FROM login_events
               WHERE district_id = ${districtId}::uuid AND occurred_at < ${since}::timestamptz
               ORDER BY occurred_at LIMIT ${limit}::int) x
        WHERE e.district_id = ${districtId}::uuid AND e.occurred_at = x.occurred_at AND e.dedupe_key = x.dedupe_key
          AND e.occurred_at < ${since}::timestamptz`,
    );
    return result.count;
  }

  /** Drops one partition, named by `expired` (a catalogue name, never input). */
  async drop(em: EntityManager, name: string): Promise<void> {
    await run(em, q`SET LOCAL lock_timeout = '5s'`);
    await run(em, raw(`DROP TABLE "${name.replace(/"/g, '""')}"`));
  }
}
