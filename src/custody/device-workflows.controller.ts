import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { DEVICE_READERS } from '../devices/device-roles.js';
import { CUSTODY_WRITERS } from './custody-roles.js';
import {
  LossResultDto,
  RepairIntakeDto,
  RepairIntakeResultDto,
  RepairListDto,
  RepairReturnDto,
  RepairReturnResultDto,
  ReportLossDto,
  RetireDeviceDto,
  RetireResultDto,
} from './device-workflows.dto.js';
import { DeviceWorkflowsService } from './device-workflows.service.js';

const STATUS_CODES = 'A device whose status forbids it answers 409 device_in_repair, device_lost, device_stolen or device_retired.';

@ApiTags('custody')
@ApiBearerAuth()
@Controller('devices')
export class DeviceWorkflowsController {
  constructor(private readonly workflows: DeviceWorkflowsService) {}

  @Get(':id/repairs')
  @Roles(...DEVICE_READERS)
  @ApiOperation({ summary: "The device's repairs, open and closed, newest first." })
  @ApiOkResponse({ type: RepairListDto })
  repairs(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<RepairListDto> {
    return this.workflows.repairsOf(principal, id);
  }

  @Post(':id/repair-intake')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({
    summary: 'Take a broken or damaged device in for repair: its assignment ends, and optionally the student gets a loaner.',
    description: `${STATUS_CODES} 409 no_loaner_available (nothing changes) or device_not_assigned (a loaner needs a student).`,
  })
  @ApiOkResponse({ type: RepairIntakeResultDto })
  repairIntake(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RepairIntakeDto,
  ): Promise<RepairIntakeResultDto> {
    return this.workflows.repairIntake(principal, id, body);
  }

  @Post(':id/repair-return')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({
    summary: 'Close the repair: the device, now working, goes back in stock or back to its student.',
    description: '409 device_not_in_repair, repair_has_no_student, student_withdrawn.',
  })
  @ApiOkResponse({ type: RepairReturnResultDto })
  repairReturn(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RepairReturnDto,
  ): Promise<RepairReturnResultDto> {
    return this.workflows.repairReturn(principal, id, body);
  }

  @Post(':id/report-loss')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({ summary: 'Report a device lost or stolen: its status changes and its assignment ends.', description: STATUS_CODES })
  @ApiOkResponse({ type: LossResultDto })
  reportLoss(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReportLossDto,
  ): Promise<LossResultDto> {
    return this.workflows.reportLoss(principal, id, body);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({ summary: 'Retire a device for good: any assignment ends and it can never be assigned again.', description: STATUS_CODES })
  @ApiOkResponse({ type: RetireResultDto })
  retire(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RetireDeviceDto,
  ): Promise<RetireResultDto> {
    return this.workflows.retire(principal, id, body);
  }
}
