import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import {
  CONNECTOR_KINDS,
  RUN_ERROR_CODES,
  STREAM_IMPORT_KIND,
  type ConnectorKind,
  type ConnectorSettings,
  type Stream,
} from './connector.domain.js';
import type { ConnectorRow, RunRow } from './connectors.repository.js';

const SETTINGS_DOC =
  'google-workspace: serviceAccountKey (the JSON key file, as an object or its text; write-only), adminEmail, apiRootUrl (optional), ' +
  'writeBack (off | dry_run | on), schedule (optional cron). oneroster-rest: baseUrl, tokenUrl, clientId, clientSecret (write-only), schedule (optional cron).';

export class CreateConnectorDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token creates in its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ enum: CONNECTOR_KINDS })
  @IsIn(CONNECTOR_KINDS)
  kind!: ConnectorKind;

  @ApiProperty({ type: 'object', additionalProperties: true, description: SETTINGS_DOC })
  @IsObject()
  settings!: Record<string, unknown>;
}

export class PatchConnectorDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: `Settings to change; those left out stay. A secret given here replaces the stored one. ${SETTINGS_DOC}`,
  })
  @IsObject()
  settings!: Record<string, unknown>;
}

export class ConnectorQueryDto extends DistrictPageQueryDto {}

export class StartRunDto {
  @ApiPropertyOptional({
    enum: Object.keys(STREAM_IMPORT_KIND),
    isArray: true,
    description: 'What to sync now; default: all the connector syncs (google-workspace: devices and logins; oneroster-rest: roster).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(Object.keys(STREAM_IMPORT_KIND), { each: true })
  streams?: Stream[];
}

export class StreamProgressDto {
  @ApiProperty({ enum: Object.keys(STREAM_IMPORT_KIND) }) stream!: Stream;
  @ApiProperty() pages!: number;
  @ApiProperty({ description: 'Items read from the remote so far.' }) items!: number;
  @ApiProperty({ description: 'Every page has been read.' }) fetched!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The import the pages became (GET /imports/{id}).' })
  importId!: string | null;
  @ApiProperty({ nullable: true, type: String }) importStatus!: string | null;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() failed!: number;
}

export class ConnectorRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) connectorId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger!: string;
  @ApiProperty({ description: 'Items read from the remote.' }) read!: number;
  @ApiProperty({ description: 'Records created or updated.' }) changed!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) stats!: Record<string, number>;
  @ApiProperty({ type: [StreamProgressDto] }) streams!: StreamProgressDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    enum: RUN_ERROR_CODES,
  })
  errorCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;

  static from(row: RunRow): ConnectorRunDto {
    return {
      id: row.id,
      connectorId: row.connectorId,
      status: row.status,
      trigger: row.trigger,
      read:
        row.status === 'queued' || row.status === 'running'
          ? row.streams.reduce((n, s) => n + (row.progress[s]?.items ?? 0), 0)
          : row.itemsRead,
      changed: row.changed,
      stats: row.stats,
      streams: row.streams.map((stream) => {
        const p = row.progress[stream];
        return {
          stream,
          pages: p?.pages ?? 0,
          items: p?.items ?? 0,
          fetched: p?.fetched ?? false,
          importId: p?.importId ?? null,
          importStatus: p?.result?.importStatus ?? null,
          created: p?.result?.created ?? 0,
          updated: p?.result?.updated ?? 0,
          failed: p?.result?.failed ?? 0,
        };
      }),
      errorCode: row.errorCode,
      error: row.error,
      attempts: row.attempts,
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }
}

export class ConnectorRunAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued'] }) status!: 'queued';
}

export class ConnectorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ enum: CONNECTOR_KINDS }) kind!: ConnectorKind;
  @ApiProperty({ enum: ['active', 'stopped'] }) status!: 'active' | 'stopped';
  @ApiProperty({ nullable: true, type: String, description: 'Why it stopped: credential_rejected.' }) stoppedCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) stoppedReason!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Its settings without secrets (the service account is named by its email and key id).',
  })
  settings!: ConnectorSettings;
  @ApiProperty({ description: 'The cron schedule in force, in the district time zone.' }) schedule!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Null when schedules are off or the connector is stopped.',
  })
  nextRunAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Where the next run starts.' }) cursors!: Record<string, string>;
  @ApiProperty({ type: ConnectorRunDto, nullable: true }) lastRun!: ConnectorRunDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(row: ConnectorRow, schedule: string, nextRunAt: Date | null, lastRun: RunRow | null): ConnectorDto {
    return {
      id: row.id,
      districtId: row.districtId,
      kind: row.kind,
      status: row.status,
      stoppedCode: row.stoppedCode,
      stoppedReason: row.stoppedReason,
      settings: row.settings,
      schedule,
      nextRunAt: nextRunAt?.toISOString() ?? null,
      cursors: { ...row.cursors },
      lastRun: lastRun ? ConnectorRunDto.from(lastRun) : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

export class ConnectorListDto {
  @ApiProperty({ type: [ConnectorDto] }) data!: ConnectorDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
