import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { IMPORTERS } from './import-roles.js';
import { LoginEventsResultDto, RecordLoginEventsDto } from './lms-login-events.dto.js';
import { LmsLoginEventsService } from './lms-login-events.service.js';

@ApiTags('login-events')
@ApiBearerAuth()
@Controller('login-events')
@DistrictWide()
/** The LMS's way in: login events posted as they happen, through the login-events import's checks. */
export class LmsLoginEventsController {
  constructor(private readonly events: LmsLoginEventsService) {}

  @Post()
  @HttpCode(200)
  @Roles(...IMPORTERS)
  @ApiOkResponse({ type: LoginEventsResultDto, description: 'Up to 10,000 events a request, recorded before the answer.' })
  record(@CurrentPrincipal() principal: Principal, @Body() body: RecordLoginEventsDto): Promise<LoginEventsResultDto> {
    return this.events.record(principal, body);
  }
}
