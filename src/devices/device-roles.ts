import type { Role } from '../auth/principal.js';

/** Attendance staff see equipment only through a student (GET /students/:id/equipment), never device routes. */
export const DEVICE_READERS: Role[] = ['state_admin', 'district_admin', 'tech', 'helpdesk', 'auditor'];

/**
 * Inventory records are kept by admins and tech staff. The help desk changes devices only through the
 * custody workflows (return, repair intake, loss), which set status and condition themselves.
 */
export const DEVICE_WRITERS: Role[] = ['state_admin', 'district_admin', 'tech'];
