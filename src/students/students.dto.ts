import { versioned, type Versioned } from '../common/http/etag.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import { REPORT_FORMATS, type ReportFormat } from '../common/http/response-format.js';
import {
  ENROLLMENT_STATUSES,
  GUARDIAN_RELATIONS,
  HOME_INTERNET,
  LEARNING_MODELS,
  type EnrollmentStatus,
  type HomeInternet,
  type LearningModel,
  type StudentRow,
} from './student.domain.js';

const defined = (_: object, value: unknown): boolean => value !== undefined;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ENROLLED_ON =
  "The day the student is expected from (the roster's enrolment begin date). Default: today where the district is, and " +
  'again today when a withdrawn student becomes active. Gaps count school days from the later of this and schoolYearStart.';

/** Every field a PATCH may change; absent fields stay as they are, null clears the nullable ones. */
export class UpdateStudentDto {
  @ApiPropertyOptional({ format: 'uuid', description: "A school of the student's district." })
  @ValidateIf(defined)
  @IsUUID()
  schoolId?: string;

  @ApiPropertyOptional({ maxLength: 255, description: 'The roster (OneRoster) key, unique within the district.' })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 255)
  sourcedId?: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true, type: String, description: 'The state or SIS student number.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  identifier?: string | null;

  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 200)
  givenName?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 200)
  familyName?: string;

  @ApiPropertyOptional({
    maxLength: 20,
    nullable: true,
    type: String,
    example: '07',
    description: 'As the roster spells it (KG, 01 ... 12).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  grade?: string | null;

  @ApiPropertyOptional({ format: 'email', maxLength: 320, nullable: true, type: String })
  @IsOptional()
  @IsEmail()
  @Length(3, 320)
  email?: string | null;

  @ApiPropertyOptional({ enum: LEARNING_MODELS })
  @ValidateIf(defined)
  @IsIn(LEARNING_MODELS)
  learningModel?: LearningModel;

  @ApiPropertyOptional({ enum: HOME_INTERNET })
  @ValidateIf(defined)
  @IsIn(HOME_INTERNET)
  homeInternet?: HomeInternet;

  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES })
  @ValidateIf(defined)
  @IsIn(ENROLLMENT_STATUSES)
  enrollmentStatus?: EnrollmentStatus;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2021-01-11', description: ENROLLED_ON })
  @ValidateIf(defined)
  @Matches(DATE_ONLY, { message: 'enrolledOn must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'enrolledOn must be a real calendar date' })
  enrolledOn?: string;
}

export class CreateStudentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token creates in its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ format: 'uuid', description: 'A school of the same district.' })
  @IsUUID()
  schoolId!: string;

  @ApiProperty({ maxLength: 255, description: 'The roster (OneRoster) key, unique within the district.' })
  @IsString()
  @Length(1, 255)
  sourcedId!: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true, type: String, description: 'The state or SIS student number.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  identifier?: string | null;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  givenName!: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  familyName!: string;

  @ApiPropertyOptional({
    maxLength: 20,
    nullable: true,
    type: String,
    example: '07',
    description: 'As the roster spells it (KG, 01 ... 12).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  grade?: string | null;

  @ApiPropertyOptional({ format: 'email', maxLength: 320, nullable: true, type: String })
  @IsOptional()
  @IsEmail()
  @Length(3, 320)
  email?: string | null;

  @ApiPropertyOptional({ enum: LEARNING_MODELS, default: 'in_person' })
  @IsOptional()
  @IsIn(LEARNING_MODELS)
  learningModel?: LearningModel;

  @ApiPropertyOptional({ enum: HOME_INTERNET, default: 'unknown' })
  @IsOptional()
  @IsIn(HOME_INTERNET)
  homeInternet?: HomeInternet;

  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(ENROLLMENT_STATUSES)
  enrollmentStatus?: EnrollmentStatus;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2021-01-11', description: ENROLLED_ON })
  @ValidateIf(defined)
  @Matches(DATE_ONLY, { message: 'enrolledOn must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'enrolledOn must be a real calendar date' })
  enrolledOn?: string;
}

export class StudentListQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  schoolId?: string;

  @ApiPropertyOptional({ example: '07' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  grade?: string;

  @ApiPropertyOptional({ enum: LEARNING_MODELS })
  @IsOptional()
  @IsIn(LEARNING_MODELS)
  learningModel?: LearningModel;

  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES })
  @IsOptional()
  @IsIn(ENROLLMENT_STATUSES)
  enrollmentStatus?: EnrollmentStatus;

  @ApiPropertyOptional({ maxLength: 255, description: 'Exactly this roster (OneRoster) key.' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  sourcedId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Exactly this state or SIS student number.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  identifier?: string;

  @ApiPropertyOptional({ maxLength: 320, description: 'Exactly this email, in any case.' })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  email?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'Case-insensitive search. Ordered in tiers: students whose sourcedId, identifier or email it is exactly; then those whose family name ' +
      'starts with it (by family, given name); then whose given name does (by given, family name); then, for text of 3+ characters, ' +
      'those with it inside the name, identifier or email (by family, given name). Each tier ends with district and id.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description: 'csv: the same as `Accept: text/csv`: every student the filters match, streamed, unpaged (limit and cursor do not apply).',
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class GuardianDto {
  @ApiProperty({ description: "The guardian's OneRoster sourcedId." }) sourcedId!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ enum: GUARDIAN_RELATIONS, description: 'The OneRoster role: parent, guardian or relative.' }) relation!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A number for text messages.' }) sms!: string | null;
}
export const STUDENT_CSV_COLUMNS = [
  'id',
  'districtId',
  'schoolId',
  'sourcedId',
  'identifier',
  'givenName',
  'familyName',
  'grade',
  'email',
  'learningModel',
  'homeInternet',
  'enrollmentStatus',
  'enrolledOn',
  'lastLoginAt',
] as const;

export class StudentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ type: String, nullable: true }) identifier!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ type: String, nullable: true }) grade!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: LEARNING_MODELS }) learningModel!: LearningModel;
  @ApiProperty({ enum: HOME_INTERNET }) homeInternet!: HomeInternet;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) enrollmentStatus!: EnrollmentStatus;
  @ApiProperty({ format: 'date-time', type: String, nullable: true, description: 'Latest login seen by the imports; read-only.' })
  lastLoginAt!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: ENROLLED_ON + ' Null: from schoolYearStart.' })
  enrolledOn!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The family's home language (student-attributes import); null: not known." })
  homeLanguage!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({
    type: [GuardianDto],
    description:
      'GET /students/{id} only, for state and district admins, help desk and attendance: the family contacts the roster links to ' +
      'the student (OneRoster parents, guardians, relatives). Absent for other roles and in lists.',
  })
  guardians?: GuardianDto[];

  /** Field by field: a row may carry more columns (a search's sort key), and a literal builds faster than a rest pattern. */
  static from(row: StudentRow): Versioned<StudentDto> {
    return versioned(
      {
        id: row.id,
        districtId: row.districtId,
        schoolId: row.schoolId,
        sourcedId: row.sourcedId,
        identifier: row.identifier,
        givenName: row.givenName,
        familyName: row.familyName,
        grade: row.grade,
        email: row.email,
        learningModel: row.learningModel,
        homeInternet: row.homeInternet,
        enrollmentStatus: row.enrollmentStatus,
        lastLoginAt: row.lastLoginAt,
        enrolledOn: row.enrolledOn,
        homeLanguage: row.homeLanguage,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      },
      row.version,
    );
  }
}

export class StudentPageDto {
  @ApiProperty({ type: [StudentDto] }) data!: StudentDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
