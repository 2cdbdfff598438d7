import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { q, raw, run } from '../database/sql.js';

/** A partition of login_events: [from, to), an ISO week (Monday 00:00 UTC on) or, made before weeks, a UTC month. */
export interface LoginEventPartition {
  name: string;
  from: Date;
  to: Date;
  /** PostgreSQL's estimate (pg_class.reltuples): counting a partition of a state's events would read all of it. */
  approximateRows: number;
}

/**
 * The partitions of login_events (migrations 1764002300000 and 1764003600000 made the table and its functions). Creating one
 * and dropping one both lock the whole table briefly; `lock_timeout` keeps the job from queueing every
 * reader behind it while a long import holds the table: the job fails and is retried later instead.
 */
@Injectable()
export class LoginEventPartitionsRepository {
  /**
   * Creates the partition of each week the default partition holds events of (moving them in), then of
   * every week from the earliest any district keeps at `at` to `weeksAhead` after the week of `at`, so
   * that an import within retention lands in its week; a week a remaining month partition covers keeps
   * it. Returns the weeks created (YYYY-MM-DD, Mondays).
   */
  async ensure(em: EntityManager, at: Date, weeksAhead: number): Promise<string[]> {
    await run(em, q`SET LOCAL lock_timeout = '5s'`);
    const result = await run<{ monday: string }>(
      em,
      q`SELECT to_char(w, 'YYYY-MM-DD') AS monday FROM login_events_ensure_partitions(${at}::timestamptz, ${weeksAhead}::int) w`,
    );
    return result.rows.map((r) => r.monday);
  }

  /**
   * Partitions that end at or before the earliest instant any district keeps at `at`: no district reads
   * anything in them. The default partition is never one (it has no end).
   */
  async expired(em: EntityManager, at: Date): Promise<LoginEventPartition[]> {
    const result = await run<LoginEventPartition>(
      em,
      q`SELECT name, range_from AS "from", range_to AS "to", approximate_rows AS "approximateRows"
        FROM login_events_partition_bounds()
        WHERE range_to <= login_events_earliest_kept(${at}::timestamptz)
        ORDER BY range_from`,
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
