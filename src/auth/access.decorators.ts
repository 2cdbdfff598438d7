import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal.js';

export const PUBLIC_KEY = 'reconnect:public';
export const ROLES_KEY = 'reconnect:roles';
export const SAME_ORIGIN_KEY = 'reconnect:same-origin';
export const DISTRICT_WIDE_KEY = 'reconnect:district-wide';

/** The route needs no token (health checks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * A public route a browser posts to (sign-in) that must come from Reconnect's own pages, like every
 * cookie-authenticated change: a forged cross-site sign-in would put the victim in the attacker's session.
 */
export const SameOrigin = (): MethodDecorator & ClassDecorator => SetMetadata(SAME_ORIGIN_KEY, true);

/** The roles that may call the route. Every non-public route must say, so none is open by omission. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * The route acts on the district as a whole (its files, settings, accounts, audit trail, gap scans), not
 * on records of a school: a school-scoped caller is refused it (403 outside_school_scope).
 */
export const DistrictWide = (): MethodDecorator & ClassDecorator => SetMetadata(DISTRICT_WIDE_KEY, true);

/** Shorthands for the access rules most routes share. */
export const ALL_ROLES: Role[] = ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'];
export const ADMINS: Role[] = ['state_admin', 'district_admin'];
