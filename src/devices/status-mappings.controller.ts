import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal, Role } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { DEVICE_READERS } from './device-roles.js';
import {
  SaveStatusMappingDto,
  StatusMappingDto,
  StatusMappingListDto,
  StatusMappingQueryDto,
  UpdateStatusMappingDto,
} from './status-mappings.dto.js';
import { StatusMappingsService } from './status-mappings.service.js';

/** What a district's asset-system labels mean changes every device import after it: admins decide. */
const MAPPING_WRITERS: Role[] = ['state_admin', 'district_admin'];

@ApiTags('devices')
@ApiBearerAuth()
@Controller('status-mappings')
export class StatusMappingsController {
  constructor(private readonly mappings: StatusMappingsService) {}

  @Get()
  @Roles(...DEVICE_READERS)
  @ApiOperation({ summary: "The district's asset-system status labels and the status and condition each gives a device." })
  @ApiOkResponse({ type: StatusMappingListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: StatusMappingQueryDto): Promise<StatusMappingListDto> {
    return this.mappings.list(principal, query);
  }

  @Post()
  @Roles(...MAPPING_WRITERS)
  @ApiOperation({ summary: 'Map a label the district has not mapped yet (409 if it has; a built-in label may be overridden).' })
  @ApiCreatedResponse({ type: StatusMappingDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: SaveStatusMappingDto): Promise<StatusMappingDto> {
    return this.mappings.create(principal, body);
  }

  @Put()
  @Roles(...MAPPING_WRITERS)
  @ApiOperation({ summary: "Map a label, creating the district's mapping or replacing it." })
  @ApiOkResponse({ type: StatusMappingDto })
  save(@CurrentPrincipal() principal: Principal, @Body() body: SaveStatusMappingDto): Promise<StatusMappingDto> {
    return this.mappings.save(principal, body);
  }

  @Patch(':id')
  @Roles(...MAPPING_WRITERS)
  @ApiOkResponse({ type: StatusMappingDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateStatusMappingDto,
  ): Promise<StatusMappingDto> {
    return this.mappings.update(principal, id, body);
  }

  @Delete(':id')
  @Roles(...MAPPING_WRITERS)
  @HttpCode(204)
  @ApiOperation({ summary: "Remove the district's mapping: a built-in label means its default again." })
  @ApiNoContentResponse()
  delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<void> {
    return this.mappings.delete(principal, id);
  }
}
