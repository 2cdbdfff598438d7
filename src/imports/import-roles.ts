import type { Role } from '../auth/principal.js';

/** Who may load files into a district: its admins and tech staff. */
export const IMPORTERS: Role[] = ['state_admin', 'district_admin', 'tech'];

/** Who may see imports and their row errors; the auditor reads, never imports. */
export const IMPORT_READERS: Role[] = [...IMPORTERS, 'auditor'];
