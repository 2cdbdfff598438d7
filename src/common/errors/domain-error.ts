/**
 * What went wrong, in the domain's words. Services throw these; only the HTTP layer
 * (problem-details.filter.ts) decides which status each kind becomes.
 */
export type ErrorKind =
  | 'validation' // the request is malformed: 400
  | 'unauthenticated' // no valid token: 401
  | 'forbidden' // the token's role may not do this: 403
  | 'not_found' // absent, or outside the caller's district: 404
  | 'conflict' // the current state forbids it: 409
  | 'precondition_failed' // If-Match names another version of the record: 412
  | 'payload_too_large' // 413
  | 'unsupported_media_type' // a body in a form the route does not read: 415
  | 'unprocessable' // well-formed but refers to things that do not fit: 422
  | 'rate_limited' // too many failed attempts from one address: 429
  | 'unavailable' // a dependency is down: 503
  | 'internal'; // our fault: 500

export interface FieldError {
  field: string;
  message: string;
  /** The 1-based line of a bulk request or file, when the error belongs to one. */
  line?: number;
}

/** Made only by the catalogue (error-codes.ts), which holds every code with its kind and wording. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable, machine-readable; part of the API contract. */
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
