import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { q, run } from '../database/sql.js';
import type { ImportKind } from './import-plan.js';

/** A district's own column names for a kind of file: our field → their header. */
export interface ImportMappingRow {
  id: string;
  districtId: string;
  kind: ImportKind;
  name: string;
  columns: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = q`id, district_id AS "districtId", kind, name, columns, created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class ImportMappingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    input: { districtId: string; kind: ImportKind; name: string; columns: Record<string, string> },
  ): Promise<ImportMappingRow> {
    const result = await run<ImportMappingRow>(
      em,
      q`INSERT INTO import_mappings (district_id, kind, name, columns)
       VALUES (${input.districtId}, ${input.kind}, ${input.name}, ${JSON.stringify(input.columns)}::jsonb) RETURNING ${COLUMNS}`,
    );
    return result.rows[0];
  }

  async findById(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<ImportMappingRow | null> {
    const result = await run<ImportMappingRow>(
      em,
      q`SELECT ${COLUMNS} FROM import_mappings WHERE id = ${id} AND (${districtId}::uuid IS NULL OR district_id = ${districtId})`,
    );
    return result.rows[0] ?? null;
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await run(em, q`DELETE FROM import_mappings WHERE id = ${id}`);
  }

  /** By (district, kind, name, id); `after` is the last row's id of the previous page. */
  async list(
    filter: { districtId: string | null; kind: ImportKind | null },
    limit: number,
    after: string | null,
  ): Promise<ImportMappingRow[]> {
    const result = await run<ImportMappingRow>(
      this.db.manager,
      q`SELECT ${COLUMNS} FROM import_mappings
       WHERE (${filter.districtId}::uuid IS NULL OR district_id = ${filter.districtId}) AND (${filter.kind}::text IS NULL OR kind = ${filter.kind})
         AND (${after}::uuid IS NULL OR id > ${after}::uuid)
       ORDER BY id LIMIT ${limit}`,
    );
    return result.rows;
  }

  /** Every mapping of the district for the kind, most recently changed first. */
  async forKind(districtId: string, kind: ImportKind): Promise<ImportMappingRow[]> {
    const result = await run<ImportMappingRow>(
      this.db.manager,
      q`SELECT ${COLUMNS} FROM import_mappings WHERE district_id = ${districtId} AND kind = ${kind} ORDER BY updated_at DESC, id`,
    );
    return result.rows;
  }
}
