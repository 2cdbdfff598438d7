import { Injectable } from '@nestjs/common';
import { assertVersion, type VersionCondition } from '../common/versions.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isText, isUuidKey, page } from '../common/http/pagination.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor, inSchoolScope } from '../auth/scope.js';
import { SchoolDto, type CreateSchoolDto, type SchoolListQueryDto, type SchoolPageDto, type UpdateSchoolDto } from './schools.dto.js';
import { SchoolsRepository } from './schools.repository.js';

/** What each broken uniqueness constraint of schools means to the caller. */
function duplicates(input: { code?: string; sourcedId?: string | null }) {
  return {
    schools_district_code_key: () => domainError('duplicate_school_code', String(input.code)),
    schools_district_sourced_id_key: () => domainError('duplicate_sourced_id', 'school', String(input.sourcedId)),
  };
}

@Injectable()
export class SchoolsService {
  constructor(
    private readonly schools: SchoolsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateSchoolDto): Promise<SchoolDto> {
    const districtId = districtFor(principal, input.districtId);
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const school = SchoolDto.from(
          await this.schools.insert(tx.em, { districtId, name: input.name, code: input.code, sourcedId: input.sourcedId ?? null }),
        );
        tx.audit({ districtId, entityType: 'school', entityId: school.id, action: 'create', after: school });
        return school;
      });
    } catch (error) {
      explainConstraint(error, {
        ...duplicates(input),
        schools_district_id_fkey: () => referenceNotFound('district_not_found', 'districtId', districtId),
      });
    }
  }

  async list(principal: Principal, query: SchoolListQueryDto): Promise<SchoolPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = cursorKey(query.cursor, [isText, isUuidKey]);
    const after = key ? { name: key[0], id: key[1] } : null;
    const rows = await this.schools.list(districtFilter(principal, query.districtId), principal.schoolIds, after, limit + 1);
    const result = page(rows, limit, (row) => [row.name, row.id]);
    return { data: result.data.map((row) => SchoolDto.from(row)), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<SchoolDto> {
    const row = await this.schools.findById(id, principal.districtId);
    if (!row || !inSchoolScope(principal, row.id)) throw domainError('school_not_found', id);
    return SchoolDto.from(row);
  }

  async update(principal: Principal, id: string, input: UpdateSchoolDto, ifMatch?: VersionCondition): Promise<SchoolDto> {
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const before = await this.schools.findById(id, principal.districtId, tx.em, { lock: true });
        if (!before || !inSchoolScope(principal, before.id)) throw domainError('school_not_found', id);
        assertVersion(before.version, ifMatch);
        const after = SchoolDto.from(await this.schools.update(tx.em, id, input));
        tx.audit({
          districtId: before.districtId,
          entityType: 'school',
          entityId: id,
          action: 'update',
          before: SchoolDto.from(before),
          after,
        });
        return after;
      });
    } catch (error) {
      explainConstraint(error, duplicates(input));
    }
  }
}
