import type { Role } from '../auth/principal.js';

/** Who hands devices out and takes them back: everyone but the read-only auditor and attendance roles. */
export const CUSTODY_WRITERS: Role[] = ['state_admin', 'district_admin', 'tech', 'helpdesk'];
