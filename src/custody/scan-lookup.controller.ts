import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { DEVICE_READERS } from '../devices/device-roles.js';
import { ScanLookupDto, ScanLookupQueryDto } from './scan-lookup.dto.js';
import { ScanLookupService } from './scan-lookup.service.js';

@ApiTags('custody')
@ApiBearerAuth()
@Controller('scan-lookup')
export class ScanLookupController {
  constructor(private readonly scans: ScanLookupService) {}

  @Get()
  @Roles(...DEVICE_READERS)
  @ApiOperation({
    summary: 'What a scanned code names: students (identifier or sourcedId) and devices (asset tag or serial, with their holder).',
    description:
      'For the distribution station: one round trip per scan. Answers 200 with empty lists when nothing matches; ' +
      "`otherDistrict` then says whether the code is another district's device. A school-scoped caller sees only their schools.",
  })
  @ApiOkResponse({ type: ScanLookupDto })
  find(@CurrentPrincipal() principal: Principal, @Query() query: ScanLookupQueryDto): Promise<ScanLookupDto> {
    return this.scans.find(principal, query);
  }
}
