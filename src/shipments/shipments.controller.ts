import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { SHIPMENT_READERS, SHIPMENT_WRITERS } from './shipment-roles.js';
import { CreateShipmentDto, ShipmentDetailDto, ShipmentDto, ShipmentListDto, ShipmentQueryDto } from './shipments.dto.js';
import { ShipmentsService } from './shipments.service.js';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('shipments')
@DistrictWide()
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @Roles(...SHIPMENT_WRITERS)
  @ApiOperation({ summary: 'Record a delivery manifest: a funding source, a date, and up to 50,000 serial numbers delivered.' })
  @ApiCreatedResponse({ type: ShipmentDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateShipmentDto): Promise<ShipmentDto> {
    return this.shipments.create(principal, body);
  }

  @Get()
  @Roles(...SHIPMENT_READERS)
  @ApiOperation({ summary: 'Manifests, newest delivery first.' })
  @ApiOkResponse({ type: ShipmentListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ShipmentQueryDto): Promise<ShipmentListDto> {
    return this.shipments.list(principal, query);
  }

  @Get(':id')
  @Roles(...SHIPMENT_READERS)
  @ApiOperation({ summary: 'One manifest with every serial number on it.' })
  @ApiOkResponse({ type: ShipmentDetailDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<ShipmentDetailDto> {
    return this.shipments.get(principal, id);
  }
}
