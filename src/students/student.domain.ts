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
  createdAt: Date;
  updatedAt: Date;
}
