import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { IMPORTERS } from '../imports/import-roles.js';
import { LoginEventsResultDto, RecordLoginEventsDto } from './login-events.dto.js';
import { LoginEventsService } from './login-events.service.js';

@ApiTags('login-events')
@ApiBearerAuth()
@Controller('login-events')
export class LoginEventsController {
  constructor(private readonly events: LoginEventsService) {}

  @Post()
  @HttpCode(200)
  @Roles(...IMPORTERS)
  @ApiOkResponse({ type: LoginEventsResultDto, description: 'Up to 10,000 events a request, recorded before the answer.' })
  record(@CurrentPrincipal() principal: Principal, @Body() body: RecordLoginEventsDto): Promise<LoginEventsResultDto> {
    return this.events.record(principal, body);
  }
}
