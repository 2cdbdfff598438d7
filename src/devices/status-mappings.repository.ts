import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, q, run, sql, type SqlText } from '../database/sql.js';
import { DEFAULT_STATUS_LABELS, type Condition, type MappableStatus, type StatusMeaning } from './device.domain.js';

/** A district's own mapping of one status label. */
export interface StatusMappingRow {
  id: string;
  districtId: string;
  label: string;
  labelKey: string;
  status: MappableStatus;
  condition: Condition | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StatusMappingInput {
  label: string;
  labelKey: string;
  status: MappableStatus;
  condition: Condition | null;
}

const COLUMNS = `m.id, m.district_id AS "districtId", m.label, m.label_key AS "labelKey", m.status, m.condition,
  m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

const DEFAULTS_JSON = JSON.stringify(
  Object.entries(DEFAULT_STATUS_LABELS).map(([key, m]) => ({ label_key: key, status: m.status, condition: m.condition })),
);

/**
 * The meaning of every label a district's files may use, as a relation (label_key, status, condition):
 * the built-in labels, overridden and added to by the district's own mappings.
 */
export function statusMeanings(districtId: string): SqlText {
  return q`SELECT coalesce(m.label_key, b.label_key) AS label_key, coalesce(m.status, b.status) AS status,
         CASE WHEN m.label_key IS NOT NULL THEN m.condition ELSE b.condition END AS condition
       FROM (SELECT * FROM jsonb_to_recordset(${DEFAULTS_JSON}::jsonb) AS x(label_key text, status text, condition text)) b
       FULL JOIN (SELECT label_key, status, condition FROM device_status_mappings WHERE district_id = ${districtId}) m
         ON m.label_key = b.label_key`;
}

/** The label keys of `keys` that a district's files may use, built in or its own. */
export async function mappedLabelKeys(em: EntityManager, districtId: string, keys: string[]): Promise<Set<string>> {
  const result = await run<{ key: string }>(
    em,
    q`SELECT s.label_key AS key FROM (${statusMeanings(districtId)}) s WHERE s.label_key = ANY(${keys}::text[])`,
  );
  return new Set(result.rows.map((r) => r.key));
}

@Injectable()
export class StatusMappingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(districtId: string): Promise<StatusMappingRow[]> {
    const result = await sql<StatusMappingRow>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM device_status_mappings m WHERE m.district_id = $1 ORDER BY m.label_key`,
      [districtId],
    );
    return result.rows;
  }

  findById(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<StatusMappingRow | null> {
    return one<StatusMappingRow>(
      em,
      `SELECT ${COLUMNS} FROM device_status_mappings m WHERE m.id = $1 AND ($2::uuid IS NULL OR m.district_id = $2)`,
      [id, districtId],
    );
  }

  findByKey(em: EntityManager, districtId: string, labelKey: string): Promise<StatusMappingRow | null> {
    return one<StatusMappingRow>(
      em,
      `SELECT ${COLUMNS} FROM device_status_mappings m WHERE m.district_id = $1 AND m.label_key = $2 FOR UPDATE`,
      [districtId, labelKey],
    );
  }

  /** Creates the mapping, or replaces the district's mapping of the same label key. */
  async save(em: EntityManager, districtId: string, input: StatusMappingInput): Promise<StatusMappingRow> {
    const row = await one<StatusMappingRow>(
      em,
      `INSERT INTO device_status_mappings AS m (district_id, label, label_key, status, condition)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (district_id, label_key) DO UPDATE SET label = EXCLUDED.label, status = EXCLUDED.status,
         condition = EXCLUDED.condition, updated_at = now()
       RETURNING ${COLUMNS}`,
      [districtId, input.label, input.labelKey, input.status, input.condition],
    );
    return row!;
  }

  async insert(em: EntityManager, districtId: string, input: StatusMappingInput): Promise<StatusMappingRow> {
    const row = await one<StatusMappingRow>(
      em,
      `INSERT INTO device_status_mappings AS m (district_id, label, label_key, status, condition)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [districtId, input.label, input.labelKey, input.status, input.condition],
    );
    return row!;
  }

  async update(em: EntityManager, id: string, meaning: StatusMeaning): Promise<StatusMappingRow> {
    const row = await one<StatusMappingRow>(
      em,
      `UPDATE device_status_mappings m SET status = $2, condition = $3, updated_at = now() WHERE m.id = $1 RETURNING ${COLUMNS}`,
      [id, meaning.status, meaning.condition],
    );
    return row!;
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await sql(em, `DELETE FROM device_status_mappings WHERE id = $1`, [id]);
  }
}
