import type { Role } from '../auth/principal.js';

/** The state's weekly collection: administrators, auditors, and the attendance team that chases the disconnected. */
export const WEEKLY_READERS: Role[] = ['state_admin', 'district_admin', 'auditor', 'attendance'];

/** What donors ask about: administrators and auditors. */
export const ROLLOUT_READERS: Role[] = ['state_admin', 'district_admin', 'auditor'];

/** The equipment that needs attention is the tech and help-desk staff's work list. */
export const HEALTH_READERS: Role[] = ['state_admin', 'district_admin', 'auditor', 'tech', 'helpdesk'];

/** Tickets and outreach concern every team that works them. */
export const TICKET_REPORT_READERS: Role[] = ['state_admin', 'district_admin', 'auditor', 'tech', 'helpdesk', 'attendance'];

/** Withdrawn students still holding equipment: the collection list of the tech and help-desk staff. */
export const COLLECTION_READERS: Role[] = ['state_admin', 'district_admin', 'auditor', 'tech', 'helpdesk'];

/** The federal programme inventory names every student a device went to: district and state administrators only. */
export const FEDERAL_INVENTORY_READERS: Role[] = ['state_admin', 'district_admin'];
