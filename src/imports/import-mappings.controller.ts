import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { CreateImportMappingDto, ImportMappingDto, ImportMappingPageDto, ImportMappingQueryDto } from './import-mappings.dto.js';
import { ImportMappingsService } from './import-mappings.service.js';
import { IMPORTERS, IMPORT_READERS } from './import-roles.js';

/** A district's own column names for the exports no built-in spelling recognises (a carrier's portal, say). */
@ApiTags('imports')
@ApiBearerAuth()
@DistrictWide()
@Controller('import-mappings')
export class ImportMappingsController {
  constructor(private readonly mappings: ImportMappingsService) {}

  @Post()
  @Roles(...IMPORTERS)
  @ApiCreatedResponse({
    type: ImportMappingDto,
    description: '409 import_mapping_name_taken if the district has one of that name for the kind.',
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateImportMappingDto): Promise<ImportMappingDto> {
    return this.mappings.create(principal, body);
  }

  @Get()
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ImportMappingPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ImportMappingQueryDto): Promise<ImportMappingPageDto> {
    return this.mappings.list(principal, query);
  }

  @Get(':id')
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ImportMappingDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<ImportMappingDto> {
    return this.mappings.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...IMPORTERS)
  @ApiNoContentResponse({ description: 'Deleted; files are read with the built-in names again.' })
  delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<void> {
    return this.mappings.delete(principal, id);
  }
}
