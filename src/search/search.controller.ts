import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { SearchQueryDto, SearchResultDto } from './search.dto.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'Students and devices by name, id, email, asset tag, serial number or IMEI, in one round trip (the console’s search box).',
    description: 'The search text is never logged (access logs carry paths only).',
  })
  @ApiOkResponse({ type: SearchResultDto })
  find(@CurrentPrincipal() principal: Principal, @Query() query: SearchQueryDto): Promise<SearchResultDto> {
    return this.search.find(principal, query);
  }
}
