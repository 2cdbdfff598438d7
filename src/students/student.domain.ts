/** The words of the roster: what the API, the repositories, the scans and the imports share about a student. */

export const LEARNING_MODELS = ['in_person', 'hybrid', 'remote'] as const;
export const HOME_INTERNET = ['yes', 'no', 'unknown'] as const;
export const ENROLLMENT_STATUSES = ['active', 'withdrawn'] as const;
export type LearningModel = (typeof LEARNING_MODELS)[number];
export type HomeInternet = (typeof HOME_INTERNET)[number];
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export interface StudentRow {
  id: string;
  districtId: string;
  schoolId: string;
  sourcedId: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  grade: string | null;
  email: string | null;
  learningModel: LearningModel;
  homeInternet: HomeInternet;
  enrollmentStatus: EnrollmentStatus;
  lastLoginAt: Date | null;
  /**
   * The day the student was expected from (YYYY-MM-DD): the roster's enrolment begin date, else the day
   * they were created or re-activated. A gap counts school days from the later of this and the school
   * year's first day. Null (students older than the column): from the school year's first day.
   */
  enrolledOn: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Moved on by every UPDATE (a trigger): the record's ETag. */
  version: number;
}

/** The district's today, where it is: the enrolment date of a student created or re-activated now. */
export const DISTRICT_TODAY_SQL = (districtIdSql: string): string =>
  `(SELECT (now() AT TIME ZONE d.time_zone)::date FROM districts d WHERE d.id = ${districtIdSql})`;
