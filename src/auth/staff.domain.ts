import type { Role } from './principal.js';

/** A person who uses Reconnect, signed in with their district's identity provider. */
export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** null only for state_admin. */
  districtId: string | null;
  /** The schools the person may see and change; null: the whole district. */
  schoolIds: string[] | null;
  active: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Emails are compared without regard to case, as mail systems do; we keep them lower-case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1);

/** Roles a district admin may give: everything up to their own. */
export const DISTRICT_GRANTABLE: readonly Role[] = ['district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'];

/** Changes after which the person's sessions must end, since what they may see changed. */
export function endsSessions(before: StaffUser, after: StaffUser): boolean {
  return (
    before.active !== after.active ||
    before.role !== after.role ||
    JSON.stringify(before.schoolIds) !== JSON.stringify(after.schoolIds) ||
    before.email !== after.email
  );
}
