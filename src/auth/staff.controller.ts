import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { ADMINS, DistrictWide, Roles } from './access.decorators.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import type { Principal } from './principal.js';
import { CreateStaffUserDto, StaffListQueryDto, StaffUserDto, StaffUserPageDto, UpdateStaffUserDto } from './staff.dto.js';
import { StaffService } from './staff.service.js';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
@DistrictWide()
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  @Roles(...ADMINS)
  @ApiCreatedResponse({ type: StaffUserDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateStaffUserDto): Promise<StaffUserDto> {
    return this.staff.create(principal, body);
  }

  @Get()
  @Roles(...ADMINS)
  @ApiOkResponse({ type: StaffUserPageDto, description: 'Ordered by creation.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: StaffListQueryDto): Promise<StaffUserPageDto> {
    return this.staff.list(principal, query);
  }

  @Get(':id')
  @Roles(...ADMINS)
  @ApiOkResponse({ type: StaffUserDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<StaffUserDto> {
    return this.staff.get(principal, id);
  }

  @Patch(':id')
  @Roles(...ADMINS)
  @ApiOkResponse({
    type: StaffUserDto,
    description: "Disabling, or changing the role, scope or email, ends the person's sessions at once.",
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateStaffUserDto,
  ): Promise<StaffUserDto> {
    return this.staff.update(principal, id, body);
  }
}
