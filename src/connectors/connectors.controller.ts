import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ADMINS, DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { IMPORTERS, IMPORT_READERS } from '../imports/import-roles.js';
import {
  ConnectorDto,
  ConnectorListDto,
  ConnectorQueryDto,
  ConnectorRunAcceptedDto,
  ConnectorRunDto,
  CreateConnectorDto,
  PatchConnectorDto,
  StartRunDto,
} from './connectors.dto.js';
import { ConnectorsService } from './connectors.service.js';

@ApiTags('connectors')
@ApiBearerAuth()
@Controller('connectors')
@DistrictWide()
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Post()
  @Roles(...ADMINS)
  @ApiCreatedResponse({ type: ConnectorDto, description: 'Secrets are stored encrypted and never returned.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateConnectorDto): Promise<ConnectorDto> {
    return this.connectors.create(principal, body);
  }

  @Get()
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ConnectorListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ConnectorQueryDto): Promise<ConnectorListDto> {
    return this.connectors.list(principal, query);
  }

  @Get(':id')
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ConnectorDto, description: 'Its state: status, last run, next run, where the next run starts.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<ConnectorDto> {
    return this.connectors.get(principal, id);
  }

  @Patch(':id')
  @Roles(...ADMINS)
  @ApiOkResponse({ type: ConnectorDto })
  patch(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: PatchConnectorDto,
  ): Promise<ConnectorDto> {
    return this.connectors.patch(principal, id, body);
  }

  @Post(':id/runs')
  @HttpCode(202)
  @Roles(...IMPORTERS)
  @ApiAcceptedResponse({ type: ConnectorRunAcceptedDto, description: 'Queued; follow it with GET /connectors/{id}/runs/{runId}.' })
  startRun(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: StartRunDto,
  ): Promise<ConnectorRunAcceptedDto> {
    return this.connectors.startRun(principal, id, body);
  }

  @Get(':id/runs/:runId')
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ConnectorRunDto })
  getRun(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Param('runId', UuidParamPipe) runId: string,
  ): Promise<ConnectorRunDto> {
    return this.connectors.getRun(principal, id, runId);
  }
}
