import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { LEARNING_MODELS, type LearningModel } from '../students/student.domain.js';
import { SCAN_STATUSES, SCAN_TRIGGERS } from './connectivity.domain.js';

export class RequestGapScanDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Omitted by a state token: every district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ format: 'date', description: "The day judged; default today in the district's time zone." })
  @IsOptional()
  @IsString()
  asOf?: string;
}

export class GapScanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) districtId!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) asOf!: string | null;
  @ApiProperty({ enum: SCAN_TRIGGERS }) trigger!: string;
  @ApiProperty({ enum: SCAN_STATUSES }) status!: string;
  @ApiProperty() studentsScanned!: number;
  @ApiProperty() gapsOpened!: number;
  @ApiProperty() gapsClosed!: number;
  @ApiProperty() ticketsOpened!: number;
  @ApiProperty() ticketsUpdated!: number;
  @ApiProperty({ description: 'Outreach tickets resolved because the student reconnected.' }) ticketsResolved!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: Date | null;
}

export class GapScanAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued'] }) status!: string;
}

export class GapScanListDto {
  @ApiProperty({ type: [GapScanDto] }) data!: GapScanDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LearningModelChangeDto {
  @ApiProperty({ enum: LEARNING_MODELS })
  @IsIn(LEARNING_MODELS)
  learningModel!: LearningModel;

  @ApiProperty({ format: 'date', example: '2020-11-16' })
  @IsString()
  from!: string;

  @ApiProperty({ format: 'date', example: '2020-11-20' })
  @IsString()
  to!: string;
}

export class LearningModelChangeResultDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty({ enum: LEARNING_MODELS }) learningModel!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ description: 'Replacement and connectivity tickets raised with reason school_going_remote.' }) ticketsOpened!: number;
  @ApiProperty({ description: 'Open tickets that gained the reason school_going_remote.' }) ticketsUpdated!: number;
}

export class ReadinessStudentDto {
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ nullable: true, type: String }) grade!: string | null;
  @ApiProperty({ type: [String], example: ['no_device'] }) deviceReasons!: string[];
  @ApiProperty({ type: [String], example: ['no_internet'] }) internetReasons!: string[];
}

export class ReadinessDto {
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() studentsChecked!: number;
  @ApiProperty({ type: [ReadinessStudentDto], description: 'Students who would lack a working device or internet.' })
  students!: ReadinessStudentDto[];
}
