import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor } from '../auth/scope.js';
import type { FieldError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isUuidKey, page } from '../common/http/pagination.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, violatedConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ImportMappingsRepository } from './import-mappings.repository.js';
import { ImportMappingDto, ImportMappingPageDto, type CreateImportMappingDto, type ImportMappingQueryDto } from './import-mappings.dto.js';
import { headerSpecOf } from './import-plan.js';
import { normalizeHeader } from './parsing/headers.js';

const MAX_HEADER = 200;

/** The mapping's columns, checked against the kind's fields: each a field of ours, each header non-blank and used once. */
function checkedColumns(input: CreateImportMappingDto): Record<string, string> {
  const fields = new Set(headerSpecOf(input.kind).fields.map((f) => f.field));
  const errors: FieldError[] = [];
  const columns: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const [field, value] of Object.entries(input.columns)) {
    const at = `columns.${field}`;
    if (!fields.has(field)) {
      errors.push({ field: at, message: `is not a field of ${input.kind} (${[...fields].join(', ')})` });
      continue;
    }
    const header = typeof value === 'string' ? value.trim() : '';
    if (!header || header.length > MAX_HEADER) {
      errors.push({ field: at, message: `must be the header of a column (1-${MAX_HEADER} characters)` });
      continue;
    }
    const earlier = seen.get(normalizeHeader(header));
    if (earlier) errors.push({ field: at, message: `"${header}" is already mapped to ${earlier}` });
    seen.set(normalizeHeader(header), field);
    columns[field] = header;
  }
  if (!Object.keys(input.columns).length) errors.push({ field: 'columns', message: 'must map at least one field' });
  if (errors.length) throw domainError('validation_failed', errors);
  return columns;
}

@Injectable()
export class ImportMappingsService {
  constructor(
    private readonly mappings: ImportMappingsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateImportMappingDto): Promise<ImportMappingDto> {
    const districtId = districtFor(principal, input.districtId);
    const columns = checkedColumns(input);
    try {
      const row = await this.uow.run(actorOf(principal), async (tx) => {
        const created = await this.mappings.insert(tx.em, { districtId, kind: input.kind, name: input.name, columns });
        tx.audit({
          districtId,
          entityType: 'import_mapping',
          entityId: created.id,
          action: 'create',
          after: { kind: created.kind, name: created.name, columns },
        });
        return created;
      });
      return ImportMappingDto.from(row);
    } catch (error) {
      if (violatedConstraint(error, UNIQUE_VIOLATION) === 'import_mappings_name_key')
        throw domainError('import_mapping_name_taken', input.name);
      if (violatedConstraint(error, FOREIGN_KEY_VIOLATION) === 'import_mappings_district_id_fkey')
        throw referenceNotFound('district_not_found', 'districtId', districtId);
      throw error;
    }
  }

  async list(principal: Principal, query: ImportMappingQueryDto): Promise<ImportMappingPageDto> {
    const districtId = districtFilter(principal, query.districtId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string]>(query.cursor, [isUuidKey])?.[0] ?? null;
    const rows = await this.mappings.list({ districtId, kind: query.kind ?? null }, limit + 1, after);
    const result = page(rows, limit, (r) => [r.id]);
    return { data: result.data.map((r) => ImportMappingDto.from(r)), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<ImportMappingDto> {
    const row = await this.mappings.findById(id, principal.districtId);
    if (!row) throw domainError('import_mapping_not_found', id);
    return ImportMappingDto.from(row);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.uow.run(actorOf(principal), async (tx) => {
      const row = await this.mappings.findById(id, principal.districtId, tx.em);
      if (!row) throw domainError('import_mapping_not_found', id);
      await this.mappings.delete(tx.em, id);
      tx.audit({
        districtId: row.districtId,
        entityType: 'import_mapping',
        entityId: id,
        action: 'delete',
        before: { kind: row.kind, name: row.name, columns: row.columns },
      });
    });
  }
}
