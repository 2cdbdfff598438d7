import { Body, Controller, Get, Param, Patch, Post, Query, type StreamableFile } from '@nestjs/common';
import { IfMatch } from '../common/http/etag.js';
import type { VersionCondition } from '../common/versions.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiReportResponse, csvAttachment, ResponseFormat, type ReportFormat } from '../common/http/response-format.js';
import { ALL_ROLES, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import {
  CreateStudentDto,
  STUDENT_CSV_COLUMNS,
  StudentDto,
  StudentListQueryDto,
  StudentPageDto,
  UpdateStudentDto,
} from './students.dto.js';
import { StudentsService } from './students.service.js';

@ApiTags('students')
@ApiBearerAuth()
@Controller('students')
export class StudentsController {
  constructor(private readonly students: StudentsService) {}

  @Post()
  @Roles('state_admin', 'district_admin', 'tech')
  @ApiCreatedResponse({ type: StudentDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateStudentDto): Promise<StudentDto> {
    return this.students.create(principal, body);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Students by district, then family name, given name and id (a state-wide list: one district after another): a page as JSON, or all of them as CSV.',
  })
  @ApiReportResponse(StudentPageDto, {
    columns: [...STUDENT_CSV_COLUMNS],
    description: 'CSV: every student the filters match, one line each, streamed (limit and cursor do not apply).',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StudentListQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<StudentPageDto> | StreamableFile {
    return format === 'csv' ? csvAttachment('students.csv', this.students.csv(principal, query)) : this.students.list(principal, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: StudentDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<StudentDto> {
    return this.students.get(principal, id);
  }

  @Patch(':id')
  @Roles('state_admin', 'district_admin', 'tech')
  @ApiOkResponse({ type: StudentDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateStudentDto,
    @IfMatch() ifMatch: VersionCondition | undefined,
  ): Promise<StudentDto> {
    return this.students.update(principal, id, body, ifMatch);
  }
}
