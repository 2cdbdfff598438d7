import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMINS, DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UploadIdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { PageQueryDto } from '../common/http/pagination.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { ApiReportResponse, ResponseFormat, type ReportFormat } from '../common/http/response-format.js';
import { IMPORT_ERROR_COLUMNS } from './import-errors.presenter.js';
import { IMPORTERS, IMPORT_READERS } from './import-roles.js';
import {
  ConfirmImportDto,
  CreateImportDto,
  ImportAcceptedDto,
  ImportDto,
  ImportErrorPageDto,
  ImportErrorQueryDto,
  ImportListDto,
  ImportQueryDto,
  ImportSummaryDto,
  ImportUploadDto,
  SuggestionPageDto,
  WithdrawalPageDto,
} from './imports.dto.js';
import { ImportsService, type StoredUpload } from './imports.service.js';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
@DistrictWide()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @Roles(...IMPORTERS)
  @UseInterceptors(FileInterceptor('file'), UploadIdempotencyInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiAcceptedResponse({ type: ImportAcceptedDto, description: 'Queued; follow it with GET /imports/{id}.' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateImportDto,
    @UploadedFile() file: StoredUpload | undefined,
  ): Promise<ImportAcceptedDto> {
    return this.imports.create(principal, body, file);
  }

  @Get()
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ImportListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ImportQueryDto): Promise<ImportListDto> {
    return this.imports.list(principal, query);
  }

  @Get(':id')
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: ImportDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<ImportDto> {
    return this.imports.get(principal, id);
  }

  @Get(':id/errors')
  @Roles(...IMPORT_READERS)
  @ApiOperation({ summary: 'Every row error, in file order: a page of JSON, or the whole list as CSV.' })
  @ApiReportResponse(ImportErrorPageDto, {
    columns: [...IMPORT_ERROR_COLUMNS],
    description:
      'CSV: every row error the import kept (up to 10,000; the rest are counted in errorsOmitted), one line each, streamed; ' +
      '`line` for CSV input, `item` for JSON.',
  })
  async errors(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: ImportErrorQueryDto,
    @ResponseFormat() format: ReportFormat,
  ): Promise<ImportErrorPageDto | StreamableFile> {
    const result = await this.imports.errors(principal, id, query, format);
    if (!('chunks' in result)) return result;
    return new StreamableFile(Readable.from(result.chunks), {
      type: 'text/csv; charset=utf-8; header=present',
      disposition: `attachment; filename="${result.filename}"`,
    });
  }

  @Get(':id/suggestions')
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({ type: SuggestionPageDto, description: 'Assignments Google Admin suggests (chromeos-devices imports); none is applied.' })
  suggestions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<SuggestionPageDto> {
    return this.imports.suggestions(principal, id, query);
  }

  @Get(':id/withdrawals')
  @Roles(...IMPORT_READERS)
  @ApiOkResponse({
    type: WithdrawalPageDto,
    description: 'The students a bulk roster withdrew, or would withdraw (a dry run, or one awaiting confirmation), by sourcedId.',
  })
  withdrawals(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<WithdrawalPageDto> {
    return this.imports.withdrawals(principal, id, query);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles(...ADMINS)
  @ApiOperation({
    summary:
      'Apply the withdrawals a bulk roster stopped for (status needs_confirmation): the students are withdrawn, their open tickets resolved.',
  })
  @ApiOkResponse({
    type: ImportSummaryDto,
    description: 'The import, completed. 409 import_not_awaiting_confirmation in any other status.',
  })
  confirm(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ConfirmImportDto,
  ): Promise<ImportSummaryDto> {
    return this.imports.confirm(principal, id, body);
  }
}
