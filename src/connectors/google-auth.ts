import { createSign } from 'node:crypto';
import { CredentialRejectedError, fetchWithRetry, RemoteError, type RetryPolicy } from './connector-http.js';
import type { ServiceAccountKey } from './connector.domain.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts assertions valid for at most an hour. */
const ASSERTION_SECONDS = 3600;

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * The signed JWT a service account exchanges for an access token (RFC 7523, as Google's OAuth 2.0
 * for server-to-server applications describes): RS256 over the header and claims, `sub` the admin the
 * domain-wide delegation acts as.
 */
export function serviceAccountAssertion(key: ServiceAccountKey, subject: string, scopes: string[], now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id }));
  const claims = base64url(
    JSON.stringify({ iss: key.client_email, sub: subject, scope: scopes.join(' '), aud: key.token_uri, iat, exp: iat + ASSERTION_SECONDS }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key.private_key);
  return `${header}.${claims}.${base64url(signature)}`;
}

interface TokenAnswer {
  access_token?: unknown;
  error?: unknown;
}

/**
 * An access token for the admin, from the key's token_uri. A refused grant (invalid_grant: the key was
 * deleted or the delegation revoked; unauthorized_client: the scopes are not delegated) stops the
 * connector: no retry can fix it.
 */
export async function googleAccessToken(
  key: ServiceAccountKey,
  subject: string,
  scopes: string[],
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<string> {
  const body = new URLSearchParams({ grant_type: JWT_BEARER, assertion: serviceAccountAssertion(key, subject, scopes) });
  const response = await fetchWithRetry(
    key.token_uri,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
    policy,
    signal,
  );
  const answer = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (response.ok && typeof answer.access_token === 'string') return answer.access_token;
  const error = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
  if ([400, 401, 403].includes(response.status)) {
    throw new CredentialRejectedError(`Google refused the service account's token request (${error})`);
  }
  throw new RemoteError(`Google's token endpoint answered ${error}`);
}
