import type { NextFunction, Request, Response } from 'express';

/** JSON and CSV answers run nothing: no script, no frame, no resource of any kind. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI's page loads its own script and styles from this origin. */
const DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Headers every answer carries (OWASP Secure Headers): no sniffing, no framing, no referrer, a content
 * security policy, HSTS when served over HTTPS, and no caching of API answers, which hold student data.
 * HTML pages (sign-in) set their own stricter policy (src/auth/sign-in.pages.ts) over these.
 */
export function securityHeaders(options: { https: boolean; apiPrefix: string }) {
  const apiPath = `/${options.apiPrefix}/`;
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', req.path.startsWith('/api/docs') ? DOCS_CSP : API_CSP);
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.path.startsWith(apiPath) || req.path.startsWith('/api/docs')) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
