import { QueryFailedError } from 'typeorm';

export interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** The PostgreSQL error behind a failed query, if that is what it was. */
export function pgError(error: unknown): PgError | null {
  if (error instanceof QueryFailedError) return error.driverError as PgError;
  if (typeof error === 'object' && error !== null && 'code' in error && 'severity' in error) return error as PgError;
  return null;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const CHECK_VIOLATION = '23514';
export const EXCLUSION_VIOLATION = '23P01';

/** The name of the constraint a write broke, when it broke one of the given kind. */
export function violatedConstraint(error: unknown, code: string): string | null {
  const pg = pgError(error);
  return pg?.code === code ? (pg.constraint ?? null) : null;
}

/**
 * Turns a broken constraint into the domain error that explains it, and rethrows anything else:
 * the database enforces the rule; this only names it for the caller.
 */
export function explainConstraint(error: unknown, explanations: Record<string, () => Error>): never {
  const constraint = pgError(error)?.constraint;
  const explain = constraint ? explanations[constraint] : undefined;
  throw explain ? explain() : error;
}
