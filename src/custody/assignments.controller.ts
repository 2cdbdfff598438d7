import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { DEVICE_READERS } from '../devices/device-roles.js';
import { AssignmentsService } from './assignments.service.js';
import { BulkAssignDto, BulkResultDto, BulkReturnDto } from './bulk.dto.js';
import { BulkCustodyService } from './bulk-custody.service.js';
import { CUSTODY_WRITERS } from './custody-roles.js';
import {
  SignedAcknowledgementDto,
  AssignmentDto,
  AssignmentListDto,
  AssignmentQueryDto,
  CreateAssignmentDto,
  ReturnAssignmentDto,
} from './custody.dto.js';

@ApiTags('custody')
@ApiBearerAuth()
@Controller('assignments')
export class AssignmentsController {
  constructor(
    private readonly assignments: AssignmentsService,
    private readonly bulk: BulkCustodyService,
  ) {}

  @Post()
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({
    summary: 'Hand an in-stock device to an active student.',
    description: '409 device_not_available (deviceStatus says why) or student_withdrawn; 422 device_not_found or student_not_found.',
  })
  @ApiCreatedResponse({ type: AssignmentDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAssignmentDto): Promise<AssignmentDto> {
    return this.assignments.create(principal, body);
  }

  @Get()
  @Roles(...DEVICE_READERS)
  @ApiOperation({ summary: 'Assignments, most recent first.' })
  @ApiOkResponse({ type: AssignmentListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: AssignmentQueryDto): Promise<AssignmentListDto> {
    return this.assignments.list(principal, query);
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({
    summary: 'Distribution day: assign many devices by asset tag and student sourcedId, with a result per line.',
    description: 'A refused line does not stop the others. Sending the same list again changes nothing (already_assigned).',
  })
  @ApiOkResponse({ type: BulkResultDto })
  bulkAssign(@CurrentPrincipal() principal: Principal, @Body() body: BulkAssignDto): Promise<BulkResultDto> {
    return this.bulk.assign(principal, body);
  }

  @Post('bulk-return')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({
    summary: 'Collection day: take many devices back by asset tag, with a result per line.',
    description: 'A refused line does not stop the others. Sending the same list again changes nothing (already_returned).',
  })
  @ApiOkResponse({ type: BulkResultDto })
  bulkReturn(@CurrentPrincipal() principal: Principal, @Body() body: BulkReturnDto): Promise<BulkResultDto> {
    return this.bulk.return(principal, body);
  }

  @Get(':id')
  @Roles(...DEVICE_READERS)
  @ApiOkResponse({ type: AssignmentDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<AssignmentDto> {
    return this.assignments.get(principal, id);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({
    summary: 'Take a device back: the assignment ends (returned) and the device goes back in stock with the condition given.',
    description:
      'A damaged or broken device goes in stock with that condition, so it is not counted as a working spare. 409 assignment_ended.',
  })
  @ApiOkResponse({ type: AssignmentDto })
  return(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReturnAssignmentDto,
  ): Promise<AssignmentDto> {
    return this.assignments.return(principal, id, body);
  }

  @Get(':id/acknowledgement/signature')
  @Roles(...DEVICE_READERS)
  @ApiOperation({ summary: 'The signature drawn with the acknowledgement, as a PNG (404 signature_not_found when none was drawn).' })
  @ApiProduces('image/png')
  @ApiOkResponse({ content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  async signature(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<StreamableFile> {
    return new StreamableFile(await this.assignments.signature(principal, id), { type: 'image/png' });
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  @Roles(...CUSTODY_WRITERS)
  @ApiOperation({ summary: "Record the family's acknowledgement of the use agreement (once; 409 assignment_already_acknowledged)." })
  @ApiOkResponse({ type: AssignmentDto })
  acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SignedAcknowledgementDto,
  ): Promise<AssignmentDto> {
    return this.assignments.acknowledge(principal, id, body);
  }
}
