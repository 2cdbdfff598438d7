import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { IfMatch } from '../common/http/etag.js';
import type { VersionCondition } from '../common/versions.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ADMINS, ALL_ROLES, DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { PageQueryDto } from '../common/http/pagination.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { CreateDistrictDto, DistrictDto, DistrictPageDto, UpdateDistrictDto } from './districts.dto.js';
import { DistrictsService } from './districts.service.js';

@ApiTags('districts')
@ApiBearerAuth()
@Controller('districts')
export class DistrictsController {
  constructor(private readonly districts: DistrictsService) {}

  @Post()
  @Roles('state_admin')
  @ApiCreatedResponse({ type: DistrictDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDistrictDto): Promise<DistrictDto> {
    return this.districts.create(principal, body);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: DistrictPageDto, description: 'Every district for a state token; a district token sees its own.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<DistrictPageDto> {
    return this.districts.list(principal, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: DistrictDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<DistrictDto> {
    return this.districts.get(principal, id);
  }

  @Patch(':id')
  @Roles(...ADMINS)
  @DistrictWide()
  @ApiOkResponse({ type: DistrictDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateDistrictDto,
    @IfMatch() ifMatch: VersionCondition | undefined,
  ): Promise<DistrictDto> {
    return this.districts.update(principal, id, body, ifMatch);
  }
}
