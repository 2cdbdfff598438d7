import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import type { Role } from './principal.js';

/** A live session with who it speaks for: its staff user, or the token it was opened with (and that token's owner). */
export interface LiveSession {
  id: string;
  lastSeenAt: Date;
  createdAt: Date;
  tokenId: string | null;
  staffUserId: string | null;
  name: string;
  role: Role;
  districtId: string | null;
  schoolIds: string[] | null;
}

export interface SessionOwner {
  staffUserId: string | null;
  apiTokenId: string | null;
}

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The session, if it is within both time limits and what it stands on is still there: an active
   * staff user, or an unrevoked token whose owner (if any) is active. Never cached, so that a disable
   * or a sign-out elsewhere takes effect on the next request, on every process.
   */
  findLive(secretHash: Buffer, idleSince: Date, createdSince: Date): Promise<LiveSession | null> {
    return one<LiveSession>(
      this.db.manager,
      `SELECT s.id, s.last_seen_at AS "lastSeenAt", s.created_at AS "createdAt", t.id AS "tokenId", u.id AS "staffUserId",
         CASE WHEN t.id IS NULL THEN u.email ELSE t.name END AS name,
         coalesce(t.role, u.role) AS role,
         CASE WHEN t.id IS NULL THEN u.district_id ELSE t.district_id END AS "districtId",
         u.school_ids::text[] AS "schoolIds"
       FROM staff_sessions s
       LEFT JOIN api_tokens t ON t.id = s.api_token_id
       LEFT JOIN staff_users u ON u.id = coalesce(s.staff_user_id, t.staff_user_id)
       WHERE s.secret_hash = $1 AND s.last_seen_at > $2 AND s.created_at > $3
         AND (s.api_token_id IS NULL OR t.revoked_at IS NULL)
         AND (s.staff_user_id IS NULL OR u.id IS NOT NULL)
         AND (u.id IS NULL OR u.active)`,
      [secretHash, idleSince, createdSince],
    );
  }

  async insert(em: EntityManager, secretHash: Buffer, owner: SessionOwner, at: Date): Promise<string> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO staff_sessions (secret_hash, staff_user_id, api_token_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
      [secretHash, owner.staffUserId, owner.apiTokenId, at],
    );
    return row!.id;
  }

  /** Moves the idle deadline; skipped when the session was seen less than `unless` ago, to spare a write per request. */
  async touch(id: string, at: Date, seenAfter: Date): Promise<void> {
    await sql(this.db.manager, `UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $3`, [id, at, seenAfter]);
  }

  async delete(em: EntityManager, id: string): Promise<number> {
    return (await sql(em, `DELETE FROM staff_sessions WHERE id = $1`, [id])).count;
  }

  /** Ends every session of a staff user, or every session opened with a token. */
  async deleteAllOf(em: EntityManager, owner: SessionOwner): Promise<number> {
    const { count } = await sql(
      em,
      `DELETE FROM staff_sessions WHERE ($1::uuid IS NOT NULL AND staff_user_id = $1) OR ($2::uuid IS NOT NULL AND api_token_id = $2)`,
      [owner.staffUserId, owner.apiTokenId],
    );
    return count;
  }

  /** Sessions past both limits are useless; they are dropped now and then rather than kept forever. */
  async deleteExpired(idleSince: Date, createdSince: Date): Promise<number> {
    const { count } = await sql(this.db.manager, `DELETE FROM staff_sessions WHERE last_seen_at <= $1 OR created_at <= $2`, [
      idleSince,
      createdSince,
    ]);
    return count;
  }
}
