import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, q, raw, run, sql } from '../database/sql.js';
import type { Role } from './principal.js';
import type { StaffUser } from './staff.domain.js';

const COLUMNS = `id, email, name, role, district_id AS "districtId", school_ids::text[] AS "schoolIds", active,
  last_sign_in_at AS "lastSignInAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewStaffUser {
  email: string;
  name: string;
  role: Role;
  districtId: string | null;
  schoolIds: string[] | null;
}

export interface StaffChanges {
  email?: string;
  name?: string;
  role?: Role;
  schoolIds?: string[] | null;
  active?: boolean;
}

export interface StaffFilter {
  districtId: string | null;
  active?: boolean;
  email?: string;
}

@Injectable()
export class StaffRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `districtId` confines the lookup to one district (a district admin's view). */
  findById(id: string, districtId: string | null, em: EntityManager = this.db.manager, lock = false): Promise<StaffUser | null> {
    return one<StaffUser>(
      em,
      `SELECT ${COLUMNS} FROM staff_users WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)${lock ? ' FOR UPDATE' : ''}`,
      [id, districtId],
    );
  }

  findByEmail(email: string): Promise<StaffUser | null> {
    return one<StaffUser>(this.db.manager, `SELECT ${COLUMNS} FROM staff_users WHERE lower(email) = lower($1)`, [email]);
  }

  /** Ordered by (created_at, id); `sortKey` is created_at to the microsecond, for the next page's cursor. */
  async list(
    filter: StaffFilter,
    after: { createdAt: string; id: string } | null,
    limit: number,
  ): Promise<(StaffUser & { sortKey: string })[]> {
    const { rows } = await run<StaffUser & { sortKey: string }>(
      this.db.manager,
      q`SELECT ${raw(COLUMNS)}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortKey" FROM staff_users
        WHERE (${filter.districtId}::uuid IS NULL OR district_id = ${filter.districtId})
          AND (${filter.active ?? null}::boolean IS NULL OR active = ${filter.active ?? null})
          AND (${filter.email ?? null}::text IS NULL OR lower(email) = lower(${filter.email ?? null}))
          AND (${after?.createdAt ?? null}::timestamptz IS NULL OR (created_at, id) > (${after?.createdAt ?? null}, ${after?.id ?? null}::uuid))
        ORDER BY created_at, id LIMIT ${limit}`,
    );
    return rows;
  }

  async insert(em: EntityManager, user: NewStaffUser): Promise<StaffUser> {
    const row = await one<StaffUser>(
      em,
      `INSERT INTO staff_users (email, name, role, district_id, school_ids) VALUES ($1, $2, $3, $4, $5::uuid[]) RETURNING ${COLUMNS}`,
      [user.email, user.name, user.role, user.districtId, user.schoolIds],
    );
    return row!;
  }

  async update(em: EntityManager, id: string, changes: StaffChanges): Promise<StaffUser> {
    const row = await one<StaffUser>(
      em,
      `UPDATE staff_users SET
         email = CASE WHEN $2 THEN $3 ELSE email END,
         name = CASE WHEN $4 THEN $5 ELSE name END,
         role = CASE WHEN $6 THEN $7 ELSE role END,
         school_ids = CASE WHEN $8 THEN $9::uuid[] ELSE school_ids END,
         active = CASE WHEN $10 THEN $11::boolean ELSE active END,
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.email !== undefined,
        changes.email ?? null,
        changes.name !== undefined,
        changes.name ?? null,
        changes.role !== undefined,
        changes.role ?? null,
        changes.schoolIds !== undefined,
        changes.schoolIds ?? null,
        changes.active !== undefined,
        changes.active ?? null,
      ],
    );
    return row!;
  }

  async recordSignIn(em: EntityManager, id: string, at: Date): Promise<void> {
    await sql(em, `UPDATE staff_users SET last_sign_in_at = $2 WHERE id = $1`, [id, at]);
  }

  /** The ids among `schoolIds` that are not schools of the district. */
  async foreignSchools(em: EntityManager, districtId: string, schoolIds: string[]): Promise<string[]> {
    const { rows } = await sql<{ id: string }>(
      em,
      `SELECT x.id::text AS id FROM unnest($2::uuid[]) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM schools s WHERE s.id = x.id AND s.district_id = $1)`,
      [districtId, schoolIds],
    );
    return rows.map((r) => r.id);
  }
}
