import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiReportResponse, ResponseFormat, type ReportFormat } from '../common/http/response-format.js';
import { asHttp } from './report-format.js';
import {
  COLLECTION_COLUMNS,
  FEDERAL_INVENTORY_COLUMNS,
  placeColumns,
  HEALTH_COLUMNS,
  RECONCILIATION_COLUMNS,
  ROLLOUT_COLUMNS,
  TICKET_WEEKS_COLUMNS,
  TICKETS_COLUMNS,
  WEEKLY_COLUMNS,
  WEEKLY_TREND_COLUMNS,
} from './report-csv.presenter.js';
import {
  COLLECTION_READERS,
  FEDERAL_INVENTORY_READERS,
  HEALTH_READERS,
  ROLLOUT_READERS,
  TICKET_REPORT_READERS,
  WEEKLY_READERS,
} from './report-roles.js';
import {
  CollectionListDto,
  CollectionQueryDto,
  DeviceHealthQueryDto,
  DeviceHealthReportDto,
  FederalInventoryListDto,
  FederalInventoryQueryDto,
  ReconciliationListDto,
  ReconciliationQueryDto,
  RolloutQueryDto,
  RolloutReportDto,
  TicketsReportDto,
  TicketsReportQueryDto,
  TicketWeeksQueryDto,
  TicketWeeksReportDto,
  WeeklyReportDto,
  WeeklyReportQueryDto,
  WeeklyTrendDto,
  WeeklyTrendQueryDto,
} from './reports.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('weekly-learning-model')
  @Roles(...WEEKLY_READERS)
  @ApiOperation({
    summary: "The state's weekly learning model and connectivity collection: per district and grade (and school), with totals.",
  })
  @ApiReportResponse(WeeklyReportDto, {
    columns: placeColumns([...WEEKLY_COLUMNS]),
    description: 'CSV: the rows, one line each, with the same columns.',
  })
  async weeklyLearningModel(
    @CurrentPrincipal() principal: Principal,
    @Query() query: WeeklyReportQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<WeeklyReportDto | StreamableFile> {
    return asHttp(await this.reports.weeklyLearningModel(principal, query, format));
  }

  @Get('weekly-learning-model/trend')
  @Roles(...WEEKLY_READERS)
  @ApiOperation({
    summary:
      'The weekly report for the last `weeks` weeks in one request: per week, remote learners not connected, ' +
      'per district (and school) and the state total.',
  })
  @ApiReportResponse(WeeklyTrendDto, {
    columns: placeColumns([...WEEKLY_TREND_COLUMNS]),
    description: 'CSV: the rows, one line each, with the same columns.',
  })
  async weeklyTrend(
    @CurrentPrincipal() principal: Principal,
    @Query() query: WeeklyTrendQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<WeeklyTrendDto | StreamableFile> {
    return asHttp(await this.reports.weeklyTrend(principal, query, format));
  }

  @Get('rollout')
  @Roles(...ROLLOUT_READERS)
  @ApiOperation({ summary: 'Donation-rollout audit of one funding source: delivered, registered, assigned, in use; and reconciliation.' })
  @ApiReportResponse(RolloutReportDto, {
    columns: placeColumns(ROLLOUT_COLUMNS),
    description:
      'CSV: per district a `district` line (totals and reconciliation counts), then a `school` line per school ' +
      '(schoolId empty for devices in no school or serials never registered).',
  })
  async rollout(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RolloutQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<RolloutReportDto | StreamableFile> {
    return asHttp(await this.reports.rollout(principal, query, format));
  }

  @Get('rollout/reconciliation')
  @Roles(...ROLLOUT_READERS)
  @ApiOperation({ summary: 'Every serial number of one reconciliation list of the rollout report, in (district, serial) order.' })
  @ApiReportResponse(ReconciliationListDto, {
    columns: placeColumns([...RECONCILIATION_COLUMNS]),
    description: 'CSV: the whole list, unpaged.',
  })
  async reconciliation(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReconciliationQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<ReconciliationListDto | StreamableFile> {
    return asHttp(await this.reports.reconciliation(principal, query, format));
  }

  @Get('device-health')
  @Roles(...HEALTH_READERS)
  @ApiOperation({ summary: 'Chromebooks and hotspots that need attention, kits with missing items, and schools short of spares.' })
  @ApiReportResponse(DeviceHealthReportDto, {
    columns: placeColumns([...HEALTH_COLUMNS]),
    description: 'CSV: one line per flagged device, kit or school, `category` naming its JSON list; every entry, not capped.',
  })
  async deviceHealth(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DeviceHealthQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<DeviceHealthReportDto | StreamableFile> {
    return asHttp(await this.reports.deviceHealth(principal, query, format));
  }

  @Get('tickets')
  @Roles(...TICKET_REPORT_READERS)
  @ApiOperation({ summary: 'Tickets opened and resolved in a window, the open queue, time to resolve, and outreach logged.' })
  @ApiReportResponse(TicketsReportDto, {
    columns: placeColumns(TICKETS_COLUMNS),
    description: 'CSV: long form, one line per figure (`metric`), `key` naming the type, reason or channel where it has one.',
  })
  async tickets(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TicketsReportQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<TicketsReportDto | StreamableFile> {
    return asHttp(await this.reports.tickets(principal, query, format));
  }

  @Get('tickets/weekly')
  @Roles(...TICKET_REPORT_READERS)
  @ApiOperation({
    summary: 'Tickets per week and type: opened, resolved, median time to resolve, and open at the week’s end with their age.',
  })
  @ApiReportResponse(TicketWeeksReportDto, {
    columns: placeColumns([...TICKET_WEEKS_COLUMNS]),
    description: 'CSV: the rows, one line per district, week and type, with the same columns.',
  })
  async ticketWeeks(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TicketWeeksQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<TicketWeeksReportDto | StreamableFile> {
    return asHttp(await this.reports.ticketWeeks(principal, query, format));
  }

  @Get('collection')
  @Roles(...COLLECTION_READERS)
  @ApiOperation({ summary: 'Withdrawn students who still hold equipment, with the devices to collect (asset tags, serial numbers).' })
  @ApiReportResponse(CollectionListDto, {
    columns: COLLECTION_COLUMNS,
    description: 'CSV: one line per student, the whole list unpaged; `assetTags` and `serialNumbers` list what they hold, "; " between.',
  })
  async collection(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CollectionQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<CollectionListDto | StreamableFile> {
    return asHttp(await this.reports.collection(principal, query, format));
  }

  @Get('federal-inventory')
  @Roles(...FEDERAL_INVENTORY_READERS)
  @ApiOperation({
    summary:
      'The federal programme inventory of a funding source (47 CFR 54.1715): one row per loan of each device, and devices never loaned.',
  })
  @ApiReportResponse(FederalInventoryListDto, {
    columns: [...FEDERAL_INVENTORY_COLUMNS],
    description: 'CSV: every row, unpaged, streamed as it is read.',
  })
  async federalInventory(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FederalInventoryQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<FederalInventoryListDto | StreamableFile> {
    return asHttp(await this.reports.federalInventory(principal, query, format));
  }
}
