import type { CookieOptions, Request } from 'express';

/** The session cookie; its value is a random secret of which only the hash is stored. */
export const SESSION_COOKIE = 'reconnect_session';
/** The pending OpenID Connect sign-in (state, nonce, PKCE verifier), sealed with SECRETS_KEY. */
export const OIDC_COOKIE = 'reconnect_oidc';
export const OIDC_COOKIE_PATH = '/auth/oidc';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string): boolean => SAFE_METHODS.has(method.toUpperCase());

/** One cookie from the Cookie header (no cookie parser is installed: two cookies are all we read). */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim()) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Where the request was addressed, as the browser saw it (Express honours X-Forwarded-* from loopback only). */
export function requestOrigin(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

/** The base URL links and redirects are built on: PUBLIC_URL, or the address the request came to. */
export function baseUrl(request: Request, publicUrl: string | null): string {
  return publicUrl ?? requestOrigin(request);
}

/** Cookie attributes: httpOnly, SameSite=Lax, and Secure whenever the service is reached over HTTPS. */
export function cookieOptions(request: Request, publicUrl: string | null, path = '/'): CookieOptions {
  const secure = request.secure || (publicUrl?.startsWith('https:') ?? false);
  return { httpOnly: true, sameSite: 'lax', secure, path };
}

/**
 * Cross-site request forgery check for requests a browser authenticates by cookie: the browser says
 * where the request comes from (Sec-Fetch-Site, or Origin), and it must be Reconnect itself. A request
 * with neither header is not from a browser that could be tricked, but we refuse it too: the cookie
 * is meant for browsers, and every current browser sends Origin on a POST.
 */
export function isSameOriginRequest(request: Request, publicUrl: string | null): boolean {
  const site = request.get('sec-fetch-site');
  const origin = request.get('origin');
  const allowed = new Set([requestOrigin(request), ...(publicUrl ? [new URL(publicUrl).origin] : [])]);
  if (site === 'cross-site') return false;
  // Under our own Referrer-Policy: no-referrer, browsers send `Origin: null` on same-origin form posts and
  // fetches: it says nothing, so Sec-Fetch-Site decides (a sandboxed or cross-site sender is not same-origin).
  if (origin !== undefined && origin !== 'null') return allowed.has(origin);
  return site === 'same-origin';
}

/** The address a brute-force count is kept for (the client's, behind a loopback proxy). */
export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
