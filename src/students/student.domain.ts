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
  /** Timestamps as ISO text (isoText), as the API answers them. */
  lastLoginAt: string | null;
  /**
   * The day the student was expected from (YYYY-MM-DD): the roster's enrolment begin date, else the day
   * they were created or re-activated. A gap counts school days from the later of this and the school
   * year's first day. Null (students older than the column): from the school year's first day.
   */
  enrolledOn: string | null;
  /** The family's home language, from the student-attributes import; null: not known. */
  homeLanguage: string | null;
  createdAt: string;
  updatedAt: string;
  /** Moved on by every UPDATE (a trigger): the record's ETag. */
  version: number;
}

/** The district's today, where it is: the enrolment date of a student created or re-activated now. */
export const DISTRICT_TODAY_SQL = (districtIdSql: string): string =>
  `(SELECT (now() AT TIME ZONE d.time_zone)::date FROM districts d WHERE d.id = ${districtIdSql})`;

/** OneRoster user roles that are a student's family: kept as their contacts (`guardians`). */
export const GUARDIAN_RELATIONS = ['parent', 'guardian', 'relative'] as const;
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number];

/** A family contact of a student, as the roster gave it. */
export interface GuardianRow {
  sourcedId: string;
  givenName: string;
  familyName: string;
  relation: GuardianRelation;
  email: string | null;
  phone: string | null;
  sms: string | null;
}

/** Who may read a family's contact details: the teams that call or visit families, and administrators. */
export const FAMILY_CONTACT_READERS = ['state_admin', 'district_admin', 'helpdesk', 'attendance'] as const;

export const mayReadFamilyContacts = (role: string): boolean => (FAMILY_CONTACT_READERS as readonly string[]).includes(role);
