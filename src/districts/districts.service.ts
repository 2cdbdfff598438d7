import { Injectable } from '@nestjs/common';
import { assertVersion, type VersionCondition } from '../common/versions.js';
import { domainError } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isText, isUuidKey, page, type PageQueryDto } from '../common/http/pagination.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor } from '../auth/scope.js';
import { DistrictDto, type CreateDistrictDto, type DistrictPageDto, type UpdateDistrictDto } from './districts.dto.js';
import { DistrictsRepository, type DistrictChanges } from './districts.repository.js';

/** Intl accepts zone names in any case; store the canonical spelling PostgreSQL and reports will see. */
function canonical<T extends DistrictChanges>(input: T): T {
  return {
    ...input,
    ...(input.timeZone !== undefined && {
      timeZone: new Intl.DateTimeFormat('en-US', { timeZone: input.timeZone }).resolvedOptions().timeZone,
    }),
    ...(input.closureDates !== undefined && { closureDates: [...new Set(input.closureDates)].sort() }),
  };
}

/**
 * A school year is both days or neither, and starts before it ends; `stored` is the district as it is,
 * for a change that sends one of the two.
 */
function checkSchoolYear(input: DistrictChanges, stored: { schoolYearStart: string | null; schoolYearEnd: string | null } | null): void {
  if (input.schoolYearStart === undefined && input.schoolYearEnd === undefined) return;
  const start = input.schoolYearStart !== undefined ? input.schoolYearStart : (stored?.schoolYearStart ?? null);
  const end = input.schoolYearEnd !== undefined ? input.schoolYearEnd : (stored?.schoolYearEnd ?? null);
  if ((start === null) !== (end === null)) {
    const field = start === null ? 'schoolYearStart' : 'schoolYearEnd';
    throw domainError('validation_failed', [{ field, message: 'schoolYearStart and schoolYearEnd are set (or cleared) together' }]);
  }
  if (start !== null && end !== null && start >= end) {
    throw domainError('validation_failed', [{ field: 'schoolYearEnd', message: 'must be after schoolYearStart' }]);
  }
}

const duplicateCode = (code: string) => () => domainError('duplicate_district_code', code);

@Injectable()
export class DistrictsService {
  constructor(
    private readonly districts: DistrictsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateDistrictDto): Promise<DistrictDto> {
    checkSchoolYear(input, null);
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const district = DistrictDto.from(await this.districts.insert(tx.em, canonical(input)));
        tx.audit({ districtId: district.id, entityType: 'district', entityId: district.id, action: 'create', after: district });
        return district;
      });
    } catch (error) {
      explainConstraint(error, { districts_code_key: duplicateCode(input.code) });
    }
  }

  async list(principal: Principal, query: PageQueryDto): Promise<DistrictPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = cursorKey(query.cursor, [isText, isUuidKey]);
    const after = key ? { name: key[0], id: key[1] } : null;
    const rows = await this.districts.list(districtFilter(principal, undefined), after, limit + 1);
    const result = page(rows, limit, (row) => [row.name, row.id]);
    return { data: result.data.map((row) => DistrictDto.from(row)), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<DistrictDto> {
    const row = await this.districts.findById(districtFor(principal, id));
    if (!row) throw domainError('district_not_found', id);
    return DistrictDto.from(row);
  }

  async update(principal: Principal, id: string, input: UpdateDistrictDto, ifMatch?: VersionCondition): Promise<DistrictDto> {
    const districtId = districtFor(principal, id);
    return this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.districts.findById(districtId, tx.em, { lock: true });
      if (!before) throw domainError('district_not_found', id);
      assertVersion(before.version, ifMatch);
      checkSchoolYear(input, before);
      const after = DistrictDto.from(await this.districts.update(tx.em, districtId, canonical(input)));
      tx.audit({ districtId, entityType: 'district', entityId: districtId, action: 'update', before: DistrictDto.from(before), after });
      return after;
    });
  }
}
