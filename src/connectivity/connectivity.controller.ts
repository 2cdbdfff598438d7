import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, ADMINS, DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { PageQueryDto } from '../common/http/pagination.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import {
  GapScanAcceptedDto,
  GapScanDto,
  GapScanListDto,
  LearningModelChangeDto,
  LearningModelChangeResultDto,
  ReadinessDto,
  RequestGapScanDto,
} from './connectivity.dto.js';
import { GapScansService } from './gap-scans.service.js';
import { RemoteReadinessService } from './remote-readiness.service.js';

@ApiTags('connectivity')
@ApiBearerAuth()
@Controller()
export class ConnectivityController {
  constructor(
    private readonly gapScans: GapScansService,
    private readonly readiness: RemoteReadinessService,
  ) {}

  @Post('gap-scans')
  @HttpCode(202)
  @Roles('state_admin', 'district_admin', 'tech', 'helpdesk')
  @DistrictWide()
  @ApiAcceptedResponse({ type: GapScanAcceptedDto, description: 'Queued; follow it at GET /gap-scans/{id}.' })
  async requestScan(@CurrentPrincipal() principal: Principal, @Body() body: RequestGapScanDto): Promise<GapScanAcceptedDto> {
    const scan = await this.gapScans.request(principal, body);
    return { id: scan.id, status: scan.status };
  }

  @Get('gap-scans')
  @Roles(...ALL_ROLES)
  @DistrictWide()
  @ApiOkResponse({ type: GapScanListDto })
  listScans(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<GapScanListDto> {
    return this.gapScans.list(principal, query);
  }

  @Get('gap-scans/:id')
  @Roles(...ALL_ROLES)
  @DistrictWide()
  @ApiOkResponse({ type: GapScanDto })
  getScan(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<GapScanDto> {
    return this.gapScans.get(principal, id);
  }

  @Post('schools/:id/learning-model-changes')
  @Roles(...ADMINS)
  @ApiCreatedResponse({ type: LearningModelChangeResultDto })
  changeLearningModel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: LearningModelChangeDto,
  ): Promise<LearningModelChangeResultDto> {
    return this.readiness.changeLearningModel(principal, id, body);
  }

  @Get('schools/:id/remote-readiness')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: ReadinessDto })
  remoteReadiness(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<ReadinessDto> {
    return this.readiness.readiness(principal, id);
  }
}
