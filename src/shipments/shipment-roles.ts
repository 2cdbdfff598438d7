import type { Role } from '../auth/principal.js';

/** Deliveries are recorded by the staff who receive them: administrators and tech. */
export const SHIPMENT_WRITERS: Role[] = ['state_admin', 'district_admin', 'tech'];

/** Manifests are inventory records; auditors check them against what donors were told. */
export const SHIPMENT_READERS: Role[] = ['state_admin', 'district_admin', 'tech', 'auditor'];
