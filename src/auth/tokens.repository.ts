import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity.js';
import type { Role } from './principal.js';
import { one, sql } from '../database/sql.js';

export interface NewToken {
  name: string;
  role: Role;
  districtId: string | null;
  secretHash: Buffer;
  createdBy: string | null;
  staffUserId?: string | null;
}

/** A live token with what the guard needs; an owned token takes its owner's school scope. */
export interface ActiveToken {
  id: string;
  name: string;
  role: Role;
  districtId: string | null;
  staffUserId: string | null;
  schoolIds: string[] | null;
}

@Injectable()
export class TokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A token dies with its owner: a disabled staff user's tokens are not active. */
  findActiveBySecretHash(secretHash: Buffer): Promise<ActiveToken | null> {
    return one<ActiveToken>(
      this.db.manager,
      `SELECT t.id, t.name, t.role, t.district_id AS "districtId", t.staff_user_id AS "staffUserId", u.school_ids::text[] AS "schoolIds"
       FROM api_tokens t LEFT JOIN staff_users u ON u.id = t.staff_user_id
       WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND (t.staff_user_id IS NULL OR u.active)`,
      [secretHash],
    );
  }

  findById(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<ApiTokenEntity | null> {
    const qb = em.getRepository(ApiTokenEntity).createQueryBuilder('t').where('t.id = :id', { id });
    if (districtId) qb.andWhere('t.district_id = :districtId', { districtId });
    return qb.getOne();
  }

  list(districtId: string | null): Promise<ApiTokenEntity[]> {
    const qb = this.db.getRepository(ApiTokenEntity).createQueryBuilder('t').orderBy('t.created_at', 'ASC').addOrderBy('t.id');
    if (districtId) qb.where('t.district_id = :districtId', { districtId });
    return qb.getMany();
  }

  async insert(em: EntityManager, token: NewToken): Promise<ApiTokenEntity> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO api_tokens (name, role, district_id, secret_hash, created_by, staff_user_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [token.name, token.role, token.districtId, token.secretHash, token.createdBy, token.staffUserId ?? null],
    );
    return (await this.findById(row!.id, null, em))!;
  }

  /** Inserts the token unless one with this secret exists; returns whether it inserted. */
  async insertIfAbsent(em: EntityManager, token: NewToken): Promise<string | null> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO api_tokens (name, role, district_id, secret_hash, created_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (secret_hash) DO NOTHING RETURNING id`,
      [token.name, token.role, token.districtId, token.secretHash, token.createdBy],
    );
    return row?.id ?? null;
  }

  /** Returns false when the token was already revoked. */
  async revoke(em: EntityManager, id: string): Promise<boolean> {
    const result = await sql(em, `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return result.count > 0;
  }
}
