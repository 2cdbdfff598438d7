import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { logger } from '../logging/logger.js';

/**
 * The built console's policy: its own hashed scripts and styles only (no inline script), API calls to this
 * origin, images from itself or data: URLs (the drawn signature), nothing framing it.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Paths that are never the console: the API, its reference, health, and the server-rendered sign-in. */
const NOT_CONSOLE = /^\/(api|health|sign-in|auth)(\/|$)/;
/** A path whose last segment has an extension is a file: a missing one is 404, never the app. */
const LOOKS_LIKE_FILE = /\/[^/]*\.[^/]*$/;
/** Where sign-in puts the session (src/auth/http-context.ts); read here only to skip a round trip. */
const SESSION_COOKIE_PREFIX = 'reconnect_session=';

/**
 * Serves the staff console (vite's build in `webDir`) at `/`: hashed assets cached for a year, and for any
 * other GET outside the API, index.html uncached, so /station, /students/{id} and the rest load the app.
 * A visitor without a session cookie is sent to the sign-in page first, coming back to the same path;
 * an expired cookie is caught by the app's first API call (401), which does the same.
 */
export function serveConsole(webDir: string) {
  const indexPath = join(webDir, 'index.html');
  const built = existsSync(indexPath);
  if (!built) logger.warn({ webDir }, 'the staff console is not built (npm run build): console routes answer 404');
  const index = built ? readFileSync(indexPath) : null;
  // Revalidated on every load (no-cache): its tag is computed once here, not hashed per request as express would.
  const indexTag = index ? `"${createHash('sha1').update(index).digest('base64url')}"` : null;
  // Asset names carry a content hash: a new build has new names, so a year's caching never serves stale code.
  const assets = express.static(join(webDir, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path)) return next();
    if (req.path.startsWith('/assets/')) {
      res.setHeader('Content-Security-Policy', CONSOLE_CSP);
      // express.static resolves the path below /assets; a file it does not have is a plain 404.
      req.url = req.url.slice('/assets'.length);
      assets(req, res, () => {
        res.status(404).type('text/plain').send('Not found.\n');
      });
      return;
    }
    if (LOOKS_LIKE_FILE.test(req.path)) return next();
    if (!index) {
      res.status(404).type('text/plain').send('The staff console is not built: run npm run build.\n');
      return;
    }
    if (!(req.headers.cookie ?? '').split(/;\s*/).some((part) => part.startsWith(SESSION_COOKIE_PREFIX))) {
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    if (indexTag) res.setHeader('ETag', indexTag);
    res.status(200).type('html').send(index);
  };
}
