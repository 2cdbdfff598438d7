import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An RFC 9457 problem document as the API answers errors (src/common/http/problem-details.filter.ts). */
export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: { field?: string; message?: string }[];
  [extra: string]: unknown;
}

/** Where an unsigned-in visitor goes, coming back to the page they were on. */
export function signInUrl(): string {
  return `/sign-in?returnTo=${encodeURIComponent(window.location.pathname + window.location.search)}`;
}

/** A session that ended (idle, signed out elsewhere, disabled account) sends the person to sign in again. */
const signInOnExpiry: Middleware = {
  onResponse({ response }) {
    if (response.status === 401) window.location.assign(signInUrl());
    return undefined;
  },
};

/**
 * The console's only way to the service: the public API with the session cookie. Browsers send Origin
 * and Sec-Fetch-Site on every change, which the API's same-origin rule for cookie sessions requires.
 */
// JSON answers only: a route that also speaks text/csv is downloaded through a link, never read here.
export const api = createClient<paths, 'application/json'>({ baseUrl: '', credentials: 'same-origin' });
api.use(signInOnExpiry);

/** The problem document of an error answer, or one made up for a body that is not one (a proxy's page). */
export function asProblem(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && typeof (error as Problem).code === 'string') return error as Problem;
  return { status: response.status, code: 'http_error', detail: `The service answered ${response.status}.` };
}

/** A fresh key per attempt, sent as Idempotency-Key so a retried scan never issues twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
