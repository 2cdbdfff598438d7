import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { DistrictPageQueryDto, QueryInt } from '../common/http/pagination.js';
import { REPORT_FORMATS, type ReportFormat } from '../common/http/response-format.js';
import { TICKET_TYPES } from '../tickets/ticket.domain.js';
import { RECONCILIATION_LISTS, type ReconciliationList } from './report.domain.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** `weeks`: how many weeks, ending with the one asked for. */
const WeeksParam = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: 52, default: 12, description: 'How many weeks, ending with the week of `weekOf`.' }),
    IsOptional(),
    QueryInt(),
    IsInt(),
    Min(1),
    Max(52),
  );

export class ReportFormatQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv: the same as `Accept: text/csv`. Wins over the Accept header.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

// ---------------------------------------------------------------- weekly learning model

export class WeeklyReportQueryDto extends ReportFormatQueryDto {
  @ApiProperty({
    format: 'date',
    example: '2020-10-07',
    description: "Any day of the week: the report covers Monday 00:00 to the next Monday 00:00 in each district's time zone.",
  })
  @Matches(DATE_ONLY, { message: 'weekOf must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'weekOf must be a date (YYYY-MM-DD)' })
  weekOf!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A state token may ask for one district; without it, every district and a state total.',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Also break each district down per school (and school and grade).' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  bySchool?: boolean;
}

export class WeeklyRowDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null on the state total row.' }) districtId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null unless the row is per school (bySchool=true).' })
  schoolId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '9',
    description: 'null on a total row (district, school or state). Students with no grade on record count under "unknown".',
  })
  grade!: string | null;
  @ApiProperty({ description: 'Active students.' }) enrollment!: number;
  @ApiProperty() inPerson!: number;
  @ApiProperty() hybrid!: number;
  @ApiProperty({ description: 'Fully remote, as the state counts it.' }) remote!: number;
  @ApiProperty({ example: 33.3, description: 'remote / enrollment, percent to one decimal; 0 when there is no one enrolled.' })
  percentRemote!: number;
  @ApiProperty({ description: 'Fully remote learners with no successful login in the week.' }) remoteNotConnected!: number;
  @ApiProperty({ example: 3.1, description: 'remoteNotConnected / remote, percent to one decimal; 0 when no one is remote.' })
  percentRemoteNotConnected!: number;
}

export class WeeklyReportDto {
  @ApiProperty({ format: 'date', description: 'The Monday the week starts on.' }) weekOf!: string;
  @ApiProperty({ format: 'date', description: 'The Sunday it ends on (inclusive).' }) weekEnd!: string;
  @ApiProperty({
    type: [WeeklyRowDto],
    description:
      'Per district: one row per grade, then the district total (grade null); with bySchool, then per school its grades and its total. ' +
      'A state token asking for every district gets the state total (districtId null) last.',
  })
  rows!: WeeklyRowDto[];
}

export class WeeklyTrendQueryDto extends WeeklyReportQueryDto {
  @WeeksParam()
  weeks?: number;
}

export class WeeklyTrendRowDto {
  @ApiProperty({ format: 'date', description: 'The Monday of the week.' }) weekOf!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null on the state total row.' }) districtId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null unless the row is per school (bySchool=true).' })
  schoolId!: string | null;
  @ApiProperty({ description: 'Active students.' }) enrollment!: number;
  @ApiProperty({ description: 'Fully remote, as the state counts it.' }) remote!: number;
  @ApiProperty({ description: 'Fully remote learners with no successful login in the week.' }) remoteNotConnected!: number;
  @ApiProperty({ example: 3.1, description: 'remoteNotConnected / remote, percent to one decimal; 0 when no one is remote.' })
  percentRemoteNotConnected!: number;
}

export class WeeklyTrendDto {
  @ApiProperty({ format: 'date', description: 'The Monday of the last week.' }) weekOf!: string;
  @ApiProperty({ description: 'How many weeks: every district (and the state total) has a row for each.' }) weeks!: number;
  @ApiProperty({
    type: [WeeklyTrendRowDto],
    description:
      "Per week, oldest first, the weekly report's total rows: each district's (and with bySchool each school's), " +
      'then, for a state token asking for every district, the state total (districtId null).',
  })
  rows!: WeeklyTrendRowDto[];
}

// ---------------------------------------------------------------- rollout

export class RolloutQueryDto extends ReportFormatQueryDto {
  @ApiProperty({
    example: 'Everybody Learns',
    maxLength: 200,
    description: 'The funding source or donation programme, as on devices and manifests.',
  })
  @IsString()
  @Length(1, 200)
  fundingSource!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A state token may ask for one district; without it, every district the programme reached.',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 500, default: 20, description: 'How many serial numbers each reconciliation list shows.' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(500)
  sampleSize?: number;
}

export class RolloutCountsDto {
  @ApiProperty({ description: 'Distinct serial numbers on manifests of the funding source.' }) delivered!: number;
  @ApiProperty({ description: 'Devices recorded with the funding source.' }) registered!: number;
  @ApiProperty({ description: 'Registered devices held by a student (primary or loaner).' }) assigned!: number;
  @ApiProperty({ description: 'Assigned, and the student logged in within 7 days or the Chromebook synced within 7 days.' })
  activeUse!: number;
  @ApiProperty({ description: 'Assigned but not in active use.' }) idle!: number;
  @ApiProperty() inStock!: number;
  @ApiProperty() inRepair!: number;
  @ApiProperty() lostOrStolen!: number;
  @ApiProperty() retired!: number;
}

export class RolloutSchoolDto extends RolloutCountsDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null: devices in no school (a district store), or delivered serials never registered.',
  })
  schoolId!: string | null;
  @ApiProperty({ nullable: true, type: String }) schoolName!: string | null;
}

export class SerialSampleDto {
  @ApiProperty() count!: number;
  @ApiProperty({
    type: [String],
    description: 'The first serial numbers in order, up to sampleSize; GET /reports/rollout/reconciliation lists them all.',
  })
  serialNumbers!: string[];
}

export class RolloutReconciliationDto {
  @ApiProperty({ type: SerialSampleDto, description: 'On a manifest, but no device with that serial number is recorded in the district.' })
  deliveredNotRegistered!: SerialSampleDto;
  @ApiProperty({ type: SerialSampleDto, description: 'Recorded with the funding source, but on no manifest of it.' })
  registeredNotOnManifest!: SerialSampleDto;
  @ApiProperty({ type: SerialSampleDto, description: 'On a manifest and recorded, but under another funding source or none.' })
  deliveredUnderOtherFunding!: SerialSampleDto;
}

export class RolloutDistrictDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() districtName!: string;
  @ApiProperty({ type: RolloutCountsDto }) totals!: RolloutCountsDto;
  @ApiProperty({ type: [RolloutSchoolDto] }) schools!: RolloutSchoolDto[];
  @ApiProperty({ type: RolloutReconciliationDto }) reconciliation!: RolloutReconciliationDto;
}

export class RolloutReportDto {
  @ApiProperty() fundingSource!: string;
  @ApiProperty({ format: 'date-time', description: 'Active use is judged against this instant.' }) generatedAt!: string;
  @ApiProperty() sampleSize!: number;
  @ApiProperty({ type: [RolloutDistrictDto] }) districts!: RolloutDistrictDto[];
}

export class ReconciliationQueryDto extends DistrictPageQueryDto {
  @ApiProperty({ example: 'Everybody Learns', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  fundingSource!: string;

  @ApiProperty({ enum: RECONCILIATION_LISTS })
  @IsIn(RECONCILIATION_LISTS)
  list!: ReconciliationList;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv: the same as `Accept: text/csv`; a CSV holds the whole list, unpaged.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class ReconciliationItemDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The first manifest listing the serial.' }) shipmentId!:
    string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) shippedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deviceId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schoolId!: string | null;
  @ApiProperty({ nullable: true, type: String }) deviceStatus!: string | null;
  @ApiProperty({ nullable: true, type: String }) deviceFundingSource!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: "The device's purchase date, where recorded." })
  purchaseDate!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The device's order number, where recorded." })
  orderNumber!: string | null;
}

export class ReconciliationListDto {
  @ApiProperty({ type: [ReconciliationItemDto] }) data!: ReconciliationItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

// ---------------------------------------------------------------- device health

export class DeviceHealthQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, description: "Default: the district's sync_stale_days." })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(365)
  syncStaleDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, description: "Default: the district's hotspot_idle_days." })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(365)
  hotspotIdleDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'The most entries each JSON list holds (a CSV holds them all).',
  })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  listLimit?: number;
}

export class HealthDeviceDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schoolId!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The student holding it.' }) studentId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSyncAt!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) autoUpdateThrough!: string | null;
  @ApiProperty({ nullable: true, type: String }) googleStatus!: string | null;
  @ApiProperty({ nullable: true, type: String }) lineStatus!: string | null;
  @ApiProperty({ nullable: true, type: Number }) monthlyCapMb!: number | null;
  @ApiProperty({ nullable: true, type: Number }) monthlyUsedMb!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsageAt!: string | null;
}

export class HealthDeviceListDto {
  @ApiProperty({ description: 'All matching devices; `items` holds at most listLimit of them.' }) count!: number;
  @ApiProperty({ type: [HealthDeviceDto] }) items!: HealthDeviceDto[];
}

export class KitItemDto {
  @ApiProperty() item!: string;
  @ApiProperty() quantity!: number;
}

export class HealthKitDto {
  @ApiProperty({ format: 'uuid' }) kitId!: string;
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The student's school." }) schoolId!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) returnedAt!: string | null;
  @ApiProperty({ type: [KitItemDto] }) missingItems!: KitItemDto[];
}

export class HealthKitListDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: [HealthKitDto] }) items!: HealthKitDto[];
}

export class SpareShortfallDto {
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() schoolName!: string;
  @ApiProperty({ description: 'Working Chromebooks in stock at the school.' }) spareChromebooks!: number;
  @ApiProperty() minimum!: number;
}

export class SpareShortfallListDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: [SpareShortfallDto] }) items!: SpareShortfallDto[];
}

export class DeviceHealthDistrictDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() districtName!: string;
  @ApiProperty({ description: 'A Chromebook counts as not syncing after this many days.' }) syncStaleDays!: number;
  @ApiProperty({ description: 'An assigned hotspot counts as idle after this many days without use.' }) hotspotIdleDays!: number;
  @ApiProperty({ description: 'Schools with fewer working spare Chromebooks than this are listed.' }) sparePoolMinimum!: number;
  @ApiProperty({
    type: HealthDeviceListDto,
    description: 'In circulation (not retired, lost or stolen), last sync known and older than syncStaleDays.',
  })
  chromebooksNotSyncing!: HealthDeviceListDto;
  @ApiProperty({ type: HealthDeviceListDto, description: 'In circulation, auto-update date passed or within 90 days.' })
  chromebooksAutoUpdateEnding!: HealthDeviceListDto;
  @ApiProperty({ type: HealthDeviceListDto, description: 'Held by a student but DISABLED or DEPROVISIONED in Google Admin.' })
  chromebooksDisabledWhileAssigned!: HealthDeviceListDto;
  @ApiProperty({ type: HealthDeviceListDto, description: 'Held by a student, line suspended or deactivated.' })
  hotspotsSuspended!: HealthDeviceListDto;
  @ApiProperty({ type: HealthDeviceListDto, description: 'Held by a student, monthly use at or over a non-zero cap.' })
  hotspotsOverCap!: HealthDeviceListDto;
  @ApiProperty({ type: HealthDeviceListDto, description: 'Held by a student, last use known and older than hotspotIdleDays.' })
  hotspotsIdle!: HealthDeviceListDto;
  @ApiProperty({ type: HealthKitListDto, description: 'Kits returned with items missing.' }) kitsMissingItems!: HealthKitListDto;
  @ApiProperty({ type: SpareShortfallListDto }) sparePoolBelowMinimum!: SpareShortfallListDto;
}

export class DeviceHealthReportDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ description: 'The most entries any list holds; compare with its count.' }) listLimit!: number;
  @ApiProperty({ type: [DeviceHealthDistrictDto] }) districts!: DeviceHealthDistrictDto[];
}

// ---------------------------------------------------------------- tickets

export class TicketsReportQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: "First day of the window, in the district's time zone. Default: 29 days before `to`.",
  })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'from must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'from must be a date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: "Last day of the window (inclusive). Default: today in the district's time zone." })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'to must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'to must be a date (YYYY-MM-DD)' })
  to?: string;
}

export class TicketTypeCountsDto {
  @ApiProperty() replacement!: number;
  @ApiProperty() connectivity!: number;
  @ApiProperty() outreach!: number;
  @ApiProperty() repair!: number;
}

export class ReasonCountDto {
  @ApiProperty({ example: 'no_device' }) reason!: string;
  @ApiProperty() count!: number;
}

export class OldestOpenTicketDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'outreach' }) type!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ example: 312.5, description: 'Hours open, to one decimal.' }) ageHours!: number;
}

export class OutreachChannelCountsDto {
  @ApiProperty() call!: number;
  @ApiProperty() email!: number;
  @ApiProperty() text!: number;
  @ApiProperty({ description: 'Channel home_visit.' }) homeVisit!: number;
}

export class OutreachSummaryDto {
  @ApiProperty({ description: 'Attempts logged in the window.' }) attempts!: number;
  @ApiProperty({ type: OutreachChannelCountsDto }) byChannel!: OutreachChannelCountsDto;
  @ApiProperty({ description: 'Home visits made in the window.' }) homeVisits!: number;
  @ApiProperty({ description: 'Home visits where the family was seen (outcome visited or reached).' }) homeVisitsReached!: number;
}

export class TicketsDistrictDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() districtName!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date', description: 'Inclusive.' }) to!: string;
  @ApiProperty({ description: 'Tickets opened in the window.' }) opened!: number;
  @ApiProperty({ description: 'Tickets resolved or closed in the window.' }) resolved!: number;
  @ApiProperty({ description: 'Open now (open, in_progress or waiting).' }) openNow!: number;
  @ApiProperty({ type: TicketTypeCountsDto }) openByType!: TicketTypeCountsDto;
  @ApiProperty({ type: [ReasonCountDto], description: 'A ticket with several reasons counts under each; most frequent first.' })
  openByReason!: ReasonCountDto[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Median hours from opened to resolved, over the tickets resolved in the window.',
  })
  medianHoursToResolve!: number | null;
  @ApiProperty({ type: OldestOpenTicketDto, nullable: true }) oldestOpen!: OldestOpenTicketDto | null;
  @ApiProperty({ type: OutreachSummaryDto }) outreach!: OutreachSummaryDto;
}

export class TicketsReportDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: [TicketsDistrictDto] }) districts!: TicketsDistrictDto[];
}

export class TicketWeeksQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A state token may ask for one district; without it, every district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2020-10-05',
    description: "Any day of the last week (its Monday is used). Default: the current week in each district's time zone.",
  })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'weekOf must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'weekOf must be a date (YYYY-MM-DD)' })
  weekOf?: string;

  @WeeksParam()
  weeks?: number;
}

export class TicketWeekRowDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() districtName!: string;
  @ApiProperty({
    format: 'date',
    description: "The Monday: the week is Monday 00:00 to the next Monday 00:00 in the district's time zone.",
  })
  weekOf!: string;
  @ApiProperty({ format: 'date', description: 'The Sunday it ends on (inclusive).' }) weekEnd!: string;
  @ApiProperty({ enum: TICKET_TYPES }) type!: string;
  @ApiProperty({ description: 'Tickets opened in the week.' }) opened!: number;
  @ApiProperty({ description: 'Tickets resolved or closed in the week.' }) resolved!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Median hours from opened to resolved of the tickets resolved in the week, to one decimal; null when none was.',
  })
  medianHoursToResolve!: number | null;
  @ApiProperty({ description: "Open at the week's end (for the week in progress: now); a closed ticket stops counting when closed." })
  openAtWeekEnd!: number;
  @ApiProperty({ nullable: true, type: Number, description: "Median age in days of those open tickets at the week's end, to one decimal." })
  medianOpenAgeDays!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "Age in days of the oldest of them at the week's end, to one decimal." })
  oldestOpenAgeDays!: number | null;
}

export class TicketWeeksReportDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ description: 'How many weeks each district has.' }) weeks!: number;
  @ApiProperty({
    type: [TicketWeekRowDto],
    description: 'Per district (by name), per week (oldest first), one row per ticket type: replacement, connectivity, outreach, repair.',
  })
  rows!: TicketWeekRowDto[];
}

// ---------------------------------------------------------------- collection list

export class CollectionQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this school's students." })
  @IsOptional()
  @IsUUID()
  schoolId?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv: the same as `Accept: text/csv`; a CSV holds the whole list, unpaged.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class CollectionDeviceDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ example: 'chromebook' }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: ['primary', 'loaner'] }) assignmentKind!: string;
  @ApiProperty({ format: 'date-time' }) assignedAt!: string;
}

export class CollectionItemDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() districtName!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() schoolName!: string;
  @ApiProperty() schoolCode!: string;
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ nullable: true, type: String }) identifier!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ type: [CollectionDeviceDto], description: 'What the student still holds: assignments not ended.' })
  devices!: CollectionDeviceDto[];
}

export class CollectionListDto {
  @ApiProperty({ type: [CollectionItemDto] }) data!: CollectionItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

// ---------------------------------------------------------------- federal programme inventory

export class FederalInventoryQueryDto extends DistrictPageQueryDto {
  @ApiProperty({
    example: 'Emergency Connectivity Fund',
    maxLength: 200,
    description: 'The funding source: devices recorded with it, or whose serial number is on a manifest of it.',
  })
  @IsString()
  @Length(1, 200)
  fundingSource!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this school's devices, and loans to its students." })
  @IsOptional()
  @IsUUID()
  schoolId?: string;

  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description: 'csv: the same as `Accept: text/csv`; a CSV holds every row, streamed, unpaged.',
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class FederalInventoryRowDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() districtName!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The device's school (null: a district store)." })
  schoolId!: string | null;
  @ApiProperty({ nullable: true, type: String }) schoolName!: string | null;
  @ApiProperty({ nullable: true, type: String }) schoolCode!: string | null;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({
    enum: ['laptop', 'mobile hotspot', 'other'],
    description: "The FCC's device type (a Chromebook is a laptop); deviceKind is Reconnect's.",
  })
  deviceType!: string;
  @ApiProperty({ enum: ['chromebook', 'hotspot', 'laptop', 'other'] }) deviceKind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Make.' }) manufacturer!: string | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The funding source recorded on the device (null: none recorded).' })
  recordedFundingSource!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The first manifest of the funding source listing the serial number.' })
  manifestReference!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) shippedOn!: string | null;
  @ApiProperty({ description: "The device's status now." }) deviceStatus!: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'The latest loss or theft reported for the device.' })
  deviceLossReportedOn!: string | null;
  @ApiProperty({ description: 'The device was never loaned to anyone: the one row of such a device.' }) neverLoaned!: boolean;
  @ApiProperty({ description: "The loan's number for this device, in the order loans started (1 is the first); 0 when never loaned." })
  loanNumber!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assignmentId!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['primary', 'loaner'] }) assignmentKind!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) studentId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) studentSchoolId!: string | null;
  @ApiProperty({ nullable: true, type: String }) studentSourcedId!: string | null;
  @ApiProperty({ nullable: true, type: String }) studentIdentifier!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The full name of the person it was provided to (for a hotspot: served).' })
  providedTo!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: "Loaned out (district's time zone)." }) loanedOn!:
    string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Returned; null while held, and for a loss or theft.' })
  returnedOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the loan ended, as custody recorded it.' }) endReason!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['lost', 'stolen', 'damaged'] }) incident!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'The day the school learned it was lost, stolen or damaged.' })
  incidentOn!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Hotspots: the carrier.' }) carrier!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Hotspots: the line's plan, as the carrier's export names it." })
  servicePlan!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Hotspots: the monthly data cap, MB.' }) monthlyCapMb!: number | null;
  @ApiProperty({ nullable: true, type: String, description: "Hotspots: the line's number." }) lineNumber!: string | null;
}

export class FederalInventoryListDto {
  @ApiProperty() fundingSource!: string;
  @ApiProperty({ type: [FederalInventoryRowDto] }) data!: FederalInventoryRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
