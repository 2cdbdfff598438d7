import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../common/http/pagination.js';
import { REPORT_FORMATS, type ReportFormat } from '../common/http/response-format.js';
import { IMPORT_KINDS, type ImportKind, type ImportWarning } from './import-plan.js';
import {
  SUGGESTION_BASES,
  type ImportErrorRow,
  type ImportRow,
  type ImportStatus,
  type SuggestionBasis,
  type SuggestionRow,
  type WithdrawalRow,
} from './imports.repository.js';

const STATUSES: ImportStatus[] = ['queued', 'running', 'needs_confirmation', 'completed', 'failed'];

const KIND_DESCRIPTION =
  'oneroster: a OneRoster 1.1 or 1.2 CSV zip (or a lone users.csv / orgs.csv, applied as a delta); student-attributes: CSV ' +
  'sourcedId, learningModel, homeInternet; devices: CSV of devices (our field names or an asset system export such as Snipe-IT); ' +
  'chromeos-devices: Google Admin Directory API chromeosdevices.list JSON or the console CSV export; hotspot-usage: a carrier ' +
  'portal CSV (Kajeet or plain); login-events: Google Reports API login activity JSON or a CSV; shipment-manifest: a CSV of ' +
  'serial numbers delivered, each with its funding source, delivery date and optionally a reference (our field names or a ' +
  'packing list of a vendor: Serial, Program, Ship Date, PO), one manifest per reference.';

export class CreateImportDto {
  @ApiProperty({ enum: IMPORT_KINDS, description: KIND_DESCRIPTION })
  @IsIn(IMPORT_KINDS)
  kind!: ImportKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token imports into its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      "Report what the import would create, update and withdraw, writing nothing to the district's tables: the import ends " +
      'completed with dryRun true, its counts, row errors and the students it would withdraw (GET /imports/{id}/withdrawals).',
  })
  @IsOptional()
  // Multipart fields arrive as text.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

/** The multipart body as documented; the file itself arrives through multer, not the validated body. */
export class ImportUploadDto extends CreateImportDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The file, streamed to disk; up to UPLOAD_LIMIT (2 GB by default).' })
  file!: unknown;
}

export class ImportAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: STATUSES, example: 'queued' }) status!: ImportStatus;
}

export class ImportCountsDto {
  @ApiProperty({ description: 'Records read (rows, or JSON items).' }) rows!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'Records that matched what is stored already (and repeated login events).' }) unchanged!: number;
  @ApiProperty({ description: 'Records skipped for an error; each has row errors.' }) failed!: number;
  @ApiProperty({
    description: 'Records that are not for us, e.g. OneRoster teachers or non-school orgs, logins of staff (stats.notStudents).',
  })
  skipped!: number;
}

export class ImportErrorDto {
  @ApiProperty({ description: "For cursors: this error's position in the list." }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The file inside a zip, e.g. users.csv.' }) part!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The line the record starts on, for CSV input; null for JSON.' })
  line!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The position of the item (1 for the first), for JSON input; null for CSV.' })
  item!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The field, or the column of a header problem.' }) field!: string | null;
  @ApiProperty() message!: string;

  static from(row: ImportErrorRow, unit: 'line' | 'item'): ImportErrorDto {
    const at = unit === 'item' ? { line: null, item: row.line } : { line: row.line, item: null };
    return { id: row.id, part: row.part, ...at, field: row.field, message: row.message };
  }
}

export class ImportWarningDto {
  @ApiProperty({ nullable: true, type: String, description: 'The file inside a zip, e.g. users.csv.' }) part!: string | null;
  @ApiProperty({ description: 'The column, as the file names it.' }) column!: string;
  @ApiProperty({ example: 'unknown column, ignored' }) message!: string;
}

export class ImportErrorPageDto {
  @ApiProperty({ type: [ImportErrorDto] }) data!: ImportErrorDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor to GET /imports/{id}/errors for the next page.' })
  nextCursor!: string | null;
}

export class ImportErrorQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description:
      'csv: the same as `Accept: text/csv` (every row error, unpaged; limit and cursor do not apply). Wins over the Accept header.',
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class ImportSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ enum: IMPORT_KINDS }) kind!: ImportKind;
  @ApiProperty({
    enum: STATUSES,
    description:
      "needs_confirmation: a bulk roster that would withdraw more than the district's rosterWithdrawalLimitPercent of its active " +
      'students; the rest of the roster is applied, the withdrawals wait for POST /imports/{id}/confirm.',
  })
  status!: ImportStatus;
  @ApiProperty({ description: 'A dry run: the counts say what the import would do; nothing was written.' }) dryRun!: boolean;
  @ApiProperty({ enum: ['upload', 'cli', 'connector'] }) origin!: 'upload' | 'cli' | 'connector';
  @ApiProperty() fileName!: string;
  @ApiProperty({ description: 'Bytes.' }) fileSize!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Share of the file read and applied.' }) progress!: number;
  @ApiProperty({ type: ImportCountsDto }) counts!: ImportCountsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      'Counters of the kind: withdrawn, ticketsResolved (their open tickets) and withdrawalsPending (awaiting confirmation) (bulk roster), devicesCreated, suggestions and retired (chromeos-devices: deprovisioned or returned ' +
      'Chromebooks retired), holdersAssigned and holderSuggestions (devices), notStudents (login-events: skipped logins of accounts that are not students of the district, e.g. staff) and duplicates, ' +
      'manifestsCreated (shipment-manifest).',
  })
  stats!: Record<string, number>;
  @ApiProperty({ type: [String], description: 'Columns of the file that this kind does not use.' }) ignoredColumns!: string[];
  @ApiProperty({
    type: [ImportWarningDto],
    description: 'What the check of the file found harmless, found at upload: unknown, extension (ext_*, metadata.*) and unused columns.',
  })
  warnings!: ImportWarning[];
  @ApiProperty({ nullable: true, type: String, description: 'Why a failed import failed (or why an attempt is being retried).' })
  errorSummary!: string | null;
  @ApiProperty({ description: 'Row errors beyond the first 10,000, counted but not listed.' }) errorsOmitted!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The token that uploaded it; null from the command line.' })
  requestedBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;

  static from(row: ImportRow): ImportSummaryDto {
    return {
      id: row.id,
      districtId: row.districtId,
      kind: row.kind,
      status: row.status,
      dryRun: row.dryRun,
      origin: row.origin,
      fileName: row.fileName,
      fileSize: row.fileSize,
      progress: row.progress,
      counts: {
        rows: row.rows,
        created: row.created,
        updated: row.updated,
        unchanged: row.unchanged,
        failed: row.failed,
        skipped: row.skipped,
      },
      stats: row.stats,
      ignoredColumns: row.ignoredColumns,
      warnings: row.warnings,
      errorSummary: row.errorSummary,
      errorsOmitted: row.errorsOmitted,
      requestedBy: row.requestedBy,
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }
}

export class ImportDto extends ImportSummaryDto {
  @ApiProperty({ type: ImportErrorPageDto, description: 'The first page of row errors; all of them through GET /imports/{id}/errors.' })
  errors!: ImportErrorPageDto;
}

export class ImportListDto {
  @ApiProperty({ type: [ImportSummaryDto] }) data!: ImportSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ImportQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A state token may filter by district; a district token sees its own.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ enum: IMPORT_KINDS })
  @IsOptional()
  @IsIn(IMPORT_KINDS)
  kind?: ImportKind;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: ImportStatus;
}

export class SuggestionDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Where in the file the user or holder is named.' }) line!: number;
  @ApiProperty({
    enum: SUGGESTION_BASES,
    description:
      'annotated_user: annotatedUser in Google Admin; recent_user: (weaker) its most recent user; holder_unmatched: an asset ' +
      "export's holder column names no active student of the district; holder_ambiguous: it names several.",
  })
  basis!: SuggestionBasis;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The holder as the asset export names it (holder_* only).' })
  holder!: string | null;
  @ApiProperty({ description: 'How many students the holder could be (holder_ambiguous: more than one; holder_unmatched: 0).' })
  candidates!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) studentId!: string | null;
  @ApiProperty({ nullable: true, type: String }) studentSourcedId!: string | null;
  @ApiProperty({ nullable: true, type: String }) studentName!: string | null;
  @ApiProperty({ nullable: true, type: String }) studentEmail!: string | null;

  static from(row: SuggestionRow): SuggestionDto {
    return { ...row };
  }
}

export class SuggestionPageDto {
  @ApiProperty({ type: [SuggestionDto] }) data!: SuggestionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class WithdrawalDto {
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ nullable: true, type: String }) identifier!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty({
    enum: ['active', 'withdrawn'],
    description: 'As stored now: active until the withdrawal is applied (or after a dry run).',
  })
  enrollmentStatus!: string;

  static from(row: WithdrawalRow): WithdrawalDto {
    return { ...row };
  }
}

export class WithdrawalPageDto {
  @ApiProperty({ type: [WithdrawalDto] }) data!: WithdrawalDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ConfirmImportDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'Why the withdrawals are right (kept in the audit trail).' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}
