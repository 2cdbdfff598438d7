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

/** Connection failures (class 08), and the server going away under a session (57P01-57P03). */
const UNREACHABLE_SQLSTATES = /^(08...|57P0[123])$/;
const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNREACHABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether an error means PostgreSQL cannot be reached right now (refused, terminated, timed out), as
 * opposed to a query it answered with an error: the former is worth a retry later (503), not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driver = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (typeof driver !== 'object' || driver === null) return false;
  const { code, message, errors } = driver as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_SQLSTATES.test(code) || UNREACHABLE_SOCKET_CODES.has(code))) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  // A refused connection to a host with several addresses is an AggregateError of the attempts.
  return Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e));
}
