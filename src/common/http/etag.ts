import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { etagOf, type VersionCondition } from '../versions.js';

const VERSION = Symbol('version');

/** An answer and the version of the record it shows; the version travels as the ETag header, not in the JSON. */
export type Versioned<T> = T & { readonly [VERSION]: number };

export function versioned<T extends object>(value: T, version: number): Versioned<T> {
  return Object.defineProperty(value, VERSION, { value: version, enumerable: false }) as Versioned<T>;
}

const versionOf = (value: unknown): number | null =>
  value !== null && typeof value === 'object' && VERSION in value ? ((value as Versioned<object>)[VERSION] ?? null) : null;

/** Sets `ETag` when the answer shows a versioned record (GET and PATCH of one record, a POST that creates one). */
export function setVersionETag(response: Response, body: unknown): void {
  const version = versionOf(body);
  if (version !== null) response.setHeader('ETag', etagOf(version));
}

/**
 * Express as Nest drives it, with the ETag set where every answer is sent. A global interceptor did this
 * before; any global interceptor puts every request, GET lookups included, through Nest's interceptor
 * chain (rxjs pipes and async scopes), which costs every GET lookup CPU for nothing (see bindIdempotencyToPosts).
 */
export class ETagExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    setVersionETag(response, body);
    return super.reply(response, body, statusCode);
  }
}

/**
 * If-Match (RFC 9110 §13.1.1) as a condition on the record's version: `*`, or a list of entity tags
 * compared strongly (a weak `W/"3"` never matches). Anything that is not one of our tags matches
 * nothing, so a bogus header fails with 412 instead of being ignored. undefined: no header, no condition.
 */
export function parseIfMatch(header: string | undefined): VersionCondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.every((tag) => /^(W\/)?"[\x21\x23-\x7e]*"$/.test(tag))) return { any: false, versions: [] };
  const versions = tags.flatMap((tag) => {
    const digits = /^"(\d{1,9})"$/.exec(tag)?.[1];
    return digits === undefined ? [] : [Number(digits)];
  });
  return { any: false, versions };
}

/** The request's If-Match, for services to check with assertVersion() on the row they lock. */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext): VersionCondition | undefined =>
  parseIfMatch(context.switchToHttp().getRequest<Request>().get('if-match')),
);
