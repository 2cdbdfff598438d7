import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal, Role } from '../auth/principal.js';
import { AuditEventPageDto, AuditListQueryDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';

/** Who reads the audit trail (district-wide accounts only: see @DistrictWide). */
export const AUDIT_READERS: Role[] = ['state_admin', 'district_admin', 'auditor'];

/** Read only: audit events are never edited or deleted (the table refuses it too). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
@DistrictWide()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(...AUDIT_READERS)
  @ApiOkResponse({ type: AuditEventPageDto, description: "Newest first. A district token sees only its district's events." })
  list(@CurrentPrincipal() principal: Principal, @Query() query: AuditListQueryDto): Promise<AuditEventPageDto> {
    return this.audit.list(principal, query);
  }
}
