import { Injectable } from '@nestjs/common';
import { cursorKey, DEFAULT_PAGE_SIZE, isDigits, page } from '../common/http/pagination.js';
import type { Principal } from '../auth/principal.js';
import { districtFilter } from '../auth/scope.js';
import { AuditEventDto, type AuditEventPageDto, type AuditListQueryDto } from './audit.dto.js';
import { AuditRepository } from './audit.repository.js';

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async list(principal: Principal, query: AuditListQueryDto): Promise<AuditEventPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = cursorKey(query.cursor, [isDigits]);
    const filter = { districtId: districtFilter(principal, query.districtId), entityType: query.entityType, entityId: query.entityId };
    const rows = await this.audit.list(filter, key?.[0] ?? null, limit + 1);
    const result = page(rows, limit, (row) => [row.id]);
    return { data: result.data.map((row) => AuditEventDto.from(row)), nextCursor: result.nextCursor };
  }
}
