import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import type { KitItem, KitRow, KitTemplateRow } from './kit.domain.js';

const TEMPLATE_COLUMNS = `id, district_id AS "districtId", name, items, created_at AS "createdAt"`;

const KIT_COLUMNS = `k.id, k.district_id AS "districtId", k.student_id AS "studentId", k.template_id AS "templateId",
  t.name AS "templateName", k.items, k.issued_at AS "issuedAt", k.returned_at AS "returnedAt",
  k.missing_items AS "missingItems", k.version, (extract(epoch FROM k.issued_at) * 1000000)::bigint::text AS "issuedAtKey"`;

/** A kit is its student's school's: for a school-scoped caller (`param`: their schools, a uuid[]). */
const inSchools = (param: string): string => `k.student_id IN (SELECT id FROM students WHERE school_id = ANY(${param}::uuid[]))`;

export interface KitFilter {
  districtId: string | null;
  /** A school-scoped caller's schools; null: no such limit. */
  schoolIds: string[] | null;
  studentId?: string;
  missing?: boolean;
}

@Injectable()
export class KitsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `districtId` null means any district (a state token). */
  findTemplateById(id: string, districtId: string | null): Promise<KitTemplateRow | null> {
    return one<KitTemplateRow>(
      this.db.manager,
      `SELECT ${TEMPLATE_COLUMNS} FROM kit_templates WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)`,
      [id, districtId],
    );
  }

  /** Ordered by (name, id). */
  async listTemplates(districtId: string | null, after: { name: string; id: string } | null, limit: number): Promise<KitTemplateRow[]> {
    const result = await sql<KitTemplateRow>(
      this.db.manager,
      `SELECT ${TEMPLATE_COLUMNS} FROM kit_templates
       WHERE ($1::uuid IS NULL OR district_id = $1) AND ($2::text IS NULL OR (name, id) > ($2, $3::uuid))
       ORDER BY name, id LIMIT $4`,
      [districtId, after?.name ?? null, after?.id ?? null, limit],
    );
    return result.rows;
  }

  async insertTemplate(em: EntityManager, template: { districtId: string; name: string; items: KitItem[] }): Promise<KitTemplateRow> {
    const row = await one<KitTemplateRow>(
      em,
      `INSERT INTO kit_templates (district_id, name, items) VALUES ($1, $2, $3::jsonb) RETURNING ${TEMPLATE_COLUMNS}`,
      [template.districtId, template.name, JSON.stringify(template.items)],
    );
    return row!;
  }

  findKitById(
    id: string,
    districtId: string | null,
    em: EntityManager = this.db.manager,
    options: { lock?: boolean; schoolIds?: string[] | null } = {},
  ): Promise<KitRow | null> {
    const { schoolIds } = options;
    return one<KitRow>(
      em,
      `SELECT ${KIT_COLUMNS} FROM kits k JOIN kit_templates t ON t.id = k.template_id
       WHERE k.id = $1 AND ($2::uuid IS NULL OR k.district_id = $2)${schoolIds ? ` AND ${inSchools('$3')}` : ''}${options.lock ? ' FOR UPDATE OF k' : ''}`,
      schoolIds ? [id, districtId, schoolIds] : [id, districtId],
    );
  }

  /** Newest first: ordered by (issued_at, id) descending. */
  async listKits(filter: KitFilter, after: { issuedAtMicros: string; id: string } | null, limit: number): Promise<KitRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    if (filter.districtId) where.push(`k.district_id = ${bind(filter.districtId)}`);
    if (filter.studentId) where.push(`k.student_id = ${bind(filter.studentId)}`);
    if (filter.schoolIds) where.push(inSchools(bind(filter.schoolIds)));
    // Spelled as kits_missing_idx's predicate so that partial index can serve it.
    if (filter.missing !== undefined) where.push(filter.missing ? `k.missing_items <> '[]'::jsonb` : `k.missing_items = '[]'::jsonb`);
    if (after) {
      const issuedAt = `timestamptz 'epoch' + ${bind(after.issuedAtMicros)}::bigint * interval '1 microsecond'`;
      where.push(`(k.issued_at, k.id) < (${issuedAt}, ${bind(after.id)}::uuid)`);
    }
    const result = await sql<KitRow>(
      this.db.manager,
      `SELECT ${KIT_COLUMNS} FROM kits k JOIN kit_templates t ON t.id = k.template_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY k.issued_at DESC, k.id DESC LIMIT ${bind(limit)}`,
      params,
    );
    return result.rows;
  }

  /**
   * Issues a kit with the template's items copied in, in one statement. The student and the template
   * must be of the same district (and of `districtId` when given, the student of `schoolIds` when
   * given); returns null when they are not.
   */
  async issueKit(
    em: EntityManager,
    studentId: string,
    templateId: string,
    districtId: string | null,
    schoolIds: string[] | null,
  ): Promise<string | null> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO kits (district_id, student_id, template_id, items)
       SELECT s.district_id, s.id, t.id, t.items
       FROM students s JOIN kit_templates t ON t.district_id = s.district_id AND t.id = $2
       WHERE s.id = $1 AND ($3::uuid IS NULL OR s.district_id = $3)${schoolIds ? ' AND s.school_id = ANY($4::uuid[])' : ''}
       RETURNING id`,
      schoolIds ? [studentId, templateId, districtId, schoolIds] : [studentId, templateId, districtId],
    );
    return row?.id ?? null;
  }

  /** Whether the student exists within `districtId` (any district when null) and `schoolIds` (when given): tells why issueKit() found nothing. */
  async studentExists(em: EntityManager, studentId: string, districtId: string | null, schoolIds: string[] | null): Promise<boolean> {
    const row = await one(
      em,
      `SELECT 1 FROM students WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)${schoolIds ? ' AND school_id = ANY($3::uuid[])' : ''}`,
      schoolIds ? [studentId, districtId, schoolIds] : [studentId, districtId],
    );
    return row !== null;
  }

  /** Returns false when the kit was already returned. */
  async markReturned(em: EntityManager, id: string, missingItems: KitItem[]): Promise<boolean> {
    const result = await sql(em, `UPDATE kits SET returned_at = now(), missing_items = $2::jsonb WHERE id = $1 AND returned_at IS NULL`, [
      id,
      JSON.stringify(missingItems),
    ]);
    return result.count > 0;
  }
}
