/**
 * What each role may do, as the API's route guards decide it (src/auth, src/custody/custody-roles.ts,
 * src/devices/device-roles.ts, src/imports/import-roles.ts). The console offers only what the API would
 * allow; the API still decides. test/web-permissions.spec.ts fails when these drift from the server's lists.
 */
export const ROLES = ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const CAPABILITIES = {
  /** Issue, return, repair intake, report loss: the distribution station. */
  custody: ['state_admin', 'district_admin', 'tech', 'helpdesk'],
  /** See devices and assignments. */
  readDevices: ['state_admin', 'district_admin', 'tech', 'helpdesk', 'auditor'],
  /** Create and change devices; print their labels. */
  writeDevices: ['state_admin', 'district_admin', 'tech'],
  /** See students (every role). */
  readStudents: ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'],
  /** Load files. */
  runImports: ['state_admin', 'district_admin', 'tech'],
  /** See imports and their row errors. */
  readImports: ['state_admin', 'district_admin', 'tech', 'auditor'],
  /** Read the audit trail (src/audit AUDIT_READERS); a school-scoped account may not (the trail is district-wide). */
  readAudit: ['state_admin', 'district_admin', 'auditor'],
  /** Apply the withdrawals a bulk roster stopped for (POST /imports/{id}/confirm: ADMINS). */
  confirmImports: ['state_admin', 'district_admin'],
  /** Return a kit (src/kits KIT_WRITERS). */
  writeKits: ['state_admin', 'district_admin', 'tech', 'helpdesk'],
  /** See the ticket queue (GET /tickets: every role). */
  readTickets: ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'],
  /** Assign, comment, change status, log outreach (src/tickets TICKET_WORKERS). */
  workTickets: ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance'],
  /** The home-visit sheet PDF (src/tickets HOME_VISITORS). */
  homeVisitSheet: ['state_admin', 'district_admin', 'attendance'],
  /** The weekly learning-model report (src/reports WEEKLY_READERS). */
  readWeeklyReport: ['state_admin', 'district_admin', 'auditor', 'attendance'],
  /** The rollout audit of a funding source (src/reports ROLLOUT_READERS). */
  readRollout: ['state_admin', 'district_admin', 'auditor'],
  /** Device health and spare pools (src/reports HEALTH_READERS). */
  readDeviceHealth: ['state_admin', 'district_admin', 'auditor', 'tech', 'helpdesk'],
  /** The federal inventory names students (src/reports FEDERAL_INVENTORY_READERS). */
  readFederalInventory: ['state_admin', 'district_admin'],
  /** District settings, staff users, API tokens (src/auth ADMINS; district-wide routes). */
  administer: ['state_admin', 'district_admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Capability = keyof typeof CAPABILITIES;

/** Capabilities of routes that act on the district as a whole (@DistrictWide): refused to school-scoped staff. */
export const DISTRICT_WIDE: readonly Capability[] = ['runImports', 'readImports', 'confirmImports', 'administer'];

/** `schoolIds` as the session gives it: null for the whole district. */
export function can(role: Role, capability: Capability, schoolIds: readonly string[] | null = null): boolean {
  if (schoolIds && DISTRICT_WIDE.includes(capability)) return false;
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  state_admin: 'State administrator',
  district_admin: 'District administrator',
  tech: 'Technician',
  helpdesk: 'Help desk',
  attendance: 'Attendance',
  auditor: 'Auditor',
};
