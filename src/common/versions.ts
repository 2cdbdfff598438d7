import { domainError } from './errors/error-codes.js';

/**
 * What an If-Match header asks of a record's version: any version (`*`), or one of those listed. A list
 * that names no version we hand out (a weak or malformed tag) matches nothing, so it fails rather than
 * being ignored.
 */
export type VersionCondition = { any: true } | { any: false; versions: readonly number[] };

/** The record's ETag: its version as a strong entity tag. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Refuses the change when the caller's copy is stale. Call it on the row read FOR UPDATE in the same
 * transaction as the update, so nothing can change the record between the check and the write.
 */
export function assertVersion(current: number, condition: VersionCondition | undefined): void {
  if (!condition || condition.any || condition.versions.includes(current)) return;
  throw domainError('precondition_failed', etagOf(current));
}
