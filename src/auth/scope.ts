import { domainError } from '../common/errors/error-codes.js';
import type { Actor } from '../common/actor.js';
import type { Principal } from './principal.js';

/**
 * The district a request acts on. District tokens always act on their own district; naming another
 * one is answered as if it did not exist, so no one learns which districts are there.
 */
export function districtFor(principal: Principal, requested: string | undefined): string {
  if (principal.districtId) {
    if (requested && requested !== principal.districtId) {
      throw domainError('district_not_found', requested);
    }
    return principal.districtId;
  }
  if (!requested) {
    throw domainError('validation_failed', [{ field: 'districtId', message: 'districtId is required for a state token' }]);
  }
  return requested;
}

/** For lists: a district token is confined to its district; a state token may filter or see all. */
export function districtFilter(principal: Principal, requested: string | undefined): string | null {
  return principal.districtId ? districtFor(principal, requested) : (requested ?? null);
}

/**
 * Whether a school-scoped caller (a school technician) may see a record of this school. Outside the
 * scope a record answers as if it did not exist, as another district's does.
 */
export function inSchoolScope(principal: Principal, schoolId: string | null): boolean {
  return principal.schoolIds === null || (schoolId !== null && principal.schoolIds.includes(schoolId));
}

export function actorOf(principal: Principal): Actor {
  return { tokenId: principal.tokenId, staffUserId: principal.staffUserId, name: principal.name, requestId: principal.requestId ?? null };
}
