import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import type { SchoolRow } from './district.domain.js';

export interface SchoolChanges {
  name?: string;
  code?: string;
  sourcedId?: string | null;
}

const WRITABLE: Record<keyof SchoolChanges, string> = { name: 'name', code: 'code', sourcedId: 'sourced_id' };

const COLUMNS = `id, district_id AS "districtId", name, code, sourced_id AS "sourcedId", created_at AS "createdAt", updated_at AS "updatedAt", version`;

@Injectable()
export class SchoolsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `districtId` null means any district (a state token). */
  findById(
    id: string,
    districtId: string | null,
    em: EntityManager = this.db.manager,
    options: { lock?: boolean } = {},
  ): Promise<SchoolRow | null> {
    return one<SchoolRow>(
      em,
      `SELECT ${COLUMNS} FROM schools WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)${options.lock ? ' FOR UPDATE' : ''}`,
      [id, districtId],
    );
  }

  /** Ordered by (name, id); `schoolIds`: a school-scoped caller's schools, the only ones listed. */
  async list(
    districtId: string | null,
    schoolIds: string[] | null,
    after: { name: string; id: string } | null,
    limit: number,
  ): Promise<SchoolRow[]> {
    const result = await sql<SchoolRow>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM schools
       WHERE ($1::uuid IS NULL OR district_id = $1) AND ($2::text IS NULL OR (name, id) > ($2, $3::uuid))${schoolIds ? ' AND id = ANY($5::uuid[])' : ''}
       ORDER BY name, id LIMIT $4`,
      schoolIds
        ? [districtId, after?.name ?? null, after?.id ?? null, limit, schoolIds]
        : [districtId, after?.name ?? null, after?.id ?? null, limit],
    );
    return result.rows;
  }

  async insert(
    em: EntityManager,
    school: { districtId: string; name: string; code: string; sourcedId: string | null },
  ): Promise<SchoolRow> {
    const row = await one<SchoolRow>(
      em,
      `INSERT INTO schools (district_id, name, code, sourced_id) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [school.districtId, school.name, school.code, school.sourcedId],
    );
    return row!;
  }

  /** Writes only the fields that were sent. */
  async update(em: EntityManager, id: string, changes: SchoolChanges): Promise<SchoolRow> {
    const fields = (Object.keys(WRITABLE) as (keyof SchoolChanges)[]).filter((f) => changes[f] !== undefined);
    const assignments = fields.map((f, i) => `${WRITABLE[f]} = $${i + 2}`);
    const row = await one<SchoolRow>(
      em,
      `UPDATE schools SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...fields.map((f) => changes[f])],
    );
    return row!;
  }
}
