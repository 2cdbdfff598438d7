import { Body, Controller, Get, Param, Patch, Post, Query, type StreamableFile } from '@nestjs/common';
import { IfMatch } from '../common/http/etag.js';
import type { VersionCondition } from '../common/versions.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { ApiReportResponse, csvAttachment, ResponseFormat, type ReportFormat } from '../common/http/response-format.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { DEVICE_READERS, DEVICE_WRITERS } from './device-roles.js';
import {
  CreateDeviceDto,
  DEVICE_CSV_COLUMNS,
  DeviceDto,
  DeviceListDto,
  DeviceQueryDto,
  SparePoolListDto,
  SparePoolQueryDto,
  UpdateDeviceDto,
} from './devices.dto.js';
import { DevicesService } from './devices.service.js';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @Roles(...DEVICE_WRITERS)
  @ApiOperation({ summary: 'Record a Chromebook, hotspot, laptop or other device (status in_stock).' })
  @ApiCreatedResponse({ type: DeviceDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDeviceDto): Promise<DeviceDto> {
    return this.devices.create(principal, body);
  }

  @Get()
  @Roles(...DEVICE_READERS)
  @ApiOperation({ summary: 'List devices, or find one by exact assetTag or serialNumber (a barcode scan): a page as JSON, or all as CSV.' })
  @ApiReportResponse(DeviceListDto, {
    columns: [...DEVICE_CSV_COLUMNS],
    description: 'CSV: every device the filters match, one line each in id order, streamed (limit and cursor do not apply).',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DeviceQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<DeviceListDto> | StreamableFile {
    return format === 'csv' ? csvAttachment('devices.csv', this.devices.csv(principal, query)) : this.devices.list(principal, query);
  }

  @Get(':id')
  @Roles(...DEVICE_READERS)
  @ApiOkResponse({ type: DeviceDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<DeviceDto> {
    return this.devices.get(principal, id);
  }

  @Patch(':id')
  @Roles(...DEVICE_WRITERS)
  @ApiOperation({ summary: 'Correct inventory fields. Status changes go through the custody routes.' })
  @ApiOkResponse({ type: DeviceDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateDeviceDto,
    @IfMatch() ifMatch: VersionCondition | undefined,
  ): Promise<DeviceDto> {
    return this.devices.update(principal, id, body, ifMatch);
  }
}

@ApiTags('devices')
@ApiBearerAuth()
@Controller('spare-pool')
export class SparePoolController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Roles(...DEVICE_READERS)
  @ApiOperation({ summary: 'Per school: Chromebooks and hotspots in stock, how many work, and whether loaners are running low.' })
  @ApiOkResponse({ type: SparePoolListDto })
  async sparePool(@CurrentPrincipal() principal: Principal, @Query() query: SparePoolQueryDto): Promise<SparePoolListDto> {
    return { data: await this.devices.sparePool(principal, query) };
  }
}
