import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { IfMatch } from '../common/http/etag.js';
import type { VersionCondition } from '../common/versions.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import {
  BulkTicketChangeDto,
  BulkTicketChangeResultDto,
  CommentDto,
  CreateOutreachAttemptDto,
  CreateTicketDto,
  HomeVisitSheetQueryDto,
  TicketChangesDto,
  TicketChangesQueryDto,
  TicketDetailDto,
  TicketListDto,
  TicketQueryDto,
  UpdateTicketDto,
} from './tickets.dto.js';
import { TicketsService } from './tickets.service.js';

export const TICKET_WORKERS = ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance'] as const;
/** The home-visit sheet names students and their families: the attendance team that visits, and administrators. */
export const HOME_VISITORS = ['state_admin', 'district_admin', 'attendance'] as const;

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: TicketListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: TicketQueryDto): Promise<TicketListDto> {
    return this.tickets.list(principal, query);
  }

  @Post()
  @Roles(...TICKET_WORKERS)
  @ApiCreatedResponse({ type: TicketDetailDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTicketDto): Promise<TicketDetailDto> {
    return this.tickets.create(principal, body);
  }

  // 'changes', 'bulk' and 'home-visit-sheet' before ':id', which would otherwise take them for a ticket id.
  @Get('changes')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The queue's change feed: tickets created or changed since a cursor, for polling without reloading the list." })
  @ApiOkResponse({ type: TicketChangesDto })
  changes(@CurrentPrincipal() principal: Principal, @Query() query: TicketChangesQueryDto): Promise<TicketChangesDto> {
    return this.tickets.changes(principal, query);
  }

  @Post('bulk')
  @Roles(...TICKET_WORKERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign or close many tickets at once, with one reason: all of them, or none if any is not yours to change.' })
  @ApiOkResponse({ type: BulkTicketChangeResultDto })
  bulk(@CurrentPrincipal() principal: Principal, @Body() body: BulkTicketChangeDto): Promise<BulkTicketChangeResultDto> {
    return this.tickets.bulkChange(principal, body);
  }

  @Get('home-visit-sheet')
  @Roles(...HOME_VISITORS)
  @ApiOperation({
    summary: "A printable PDF of a school's open outreach tickets: one student a page, with ruled lines for the visit's notes.",
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'application/pdf, as an attachment.',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async homeVisitSheet(@CurrentPrincipal() principal: Principal, @Query() query: HomeVisitSheetQueryDto): Promise<StreamableFile> {
    const sheet = await this.tickets.homeVisitSheet(principal, query.schoolId);
    return new StreamableFile(sheet.pdf, { type: 'application/pdf', disposition: `attachment; filename="${sheet.filename}"` });
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: TicketDetailDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<TicketDetailDto> {
    return this.tickets.get(principal, id);
  }

  @Patch(':id')
  @Roles(...TICKET_WORKERS)
  @ApiOkResponse({ type: TicketDetailDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateTicketDto,
    @IfMatch() ifMatch: VersionCondition | undefined,
  ): Promise<TicketDetailDto> {
    return this.tickets.update(principal, id, body, ifMatch);
  }

  @Post(':id/comments')
  @Roles(...TICKET_WORKERS)
  @ApiCreatedResponse({ type: TicketDetailDto })
  comment(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CommentDto,
  ): Promise<TicketDetailDto> {
    return this.tickets.comment(principal, id, body.body);
  }

  @Post(':id/outreach-attempts')
  @Roles(...TICKET_WORKERS)
  @ApiCreatedResponse({ type: TicketDetailDto })
  addOutreachAttempt(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreateOutreachAttemptDto,
  ): Promise<TicketDetailDto> {
    return this.tickets.addOutreachAttempt(principal, id, body);
  }
}
