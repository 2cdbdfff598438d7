import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { IfMatch } from '../common/http/etag.js';
import type { VersionCondition } from '../common/versions.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { CreateSchoolDto, SchoolDto, SchoolListQueryDto, SchoolPageDto, UpdateSchoolDto } from './schools.dto.js';
import { SchoolsService } from './schools.service.js';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('schools')
export class SchoolsController {
  constructor(private readonly schools: SchoolsService) {}

  @Post()
  @Roles('state_admin', 'district_admin', 'tech')
  @DistrictWide()
  @ApiCreatedResponse({ type: SchoolDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSchoolDto): Promise<SchoolDto> {
    return this.schools.create(principal, body);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: SchoolPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: SchoolListQueryDto): Promise<SchoolPageDto> {
    return this.schools.list(principal, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: SchoolDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<SchoolDto> {
    return this.schools.get(principal, id);
  }

  @Patch(':id')
  @Roles('state_admin', 'district_admin', 'tech')
  @ApiOkResponse({ type: SchoolDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateSchoolDto,
    @IfMatch() ifMatch: VersionCondition | undefined,
  ): Promise<SchoolDto> {
    return this.schools.update(principal, id, body, ifMatch);
  }
}
