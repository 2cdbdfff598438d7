import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { FieldError } from '../errors/domain-error.js';
import { domainError } from '../errors/error-codes.js';

/** Deeper than any request of ours; a deeper body is refused before it is parsed. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Error body-parser passes on with its `type`; problem-details.filter.ts names it. */
class TooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
}

/**
 * body-parser's `verify` hook: one linear pass over the raw bytes counts nesting outside strings, so
 * a body nested a million deep is refused in microseconds instead of being parsed and walked.
 */
export function verifyJsonDepth(_req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buffer.length; i += 1) {
    const byte = buffer[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw new TooDeepError(`nested deeper than ${MAX_JSON_DEPTH}`);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
}

/** Keys that reach for an object's prototype: never one of our fields. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function fieldPath(parent: string, key: string, isIndex: boolean): string {
  if (isIndex) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** The first few problems in a parsed body or query: NUL characters (PostgreSQL refuses them) and prototype keys. */
function findUnsafe(value: unknown, path: string, found: FieldError[]): void {
  if (found.length >= 10) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ field: path, message: 'contains a NUL character' });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const isArray = Array.isArray(value);
  for (const key of Object.keys(value)) {
    const field = fieldPath(path, key, isArray);
    if (FORBIDDEN_KEYS.has(key)) found.push({ field, message: 'unknown field' });
    else if (key.includes('\u0000'))
      found.push({ field: fieldPath(path, key.split('\u0000').join('\\u0000'), false), message: 'unknown field' });
    else findUnsafe((value as Record<string, unknown>)[key], field, found);
  }
}

/** Refuses a body or query holding NUL characters or prototype keys with a 400 that names the field. */
export function rejectUnsafeInput(req: Request, _res: Response, next: NextFunction): void {
  const found: FieldError[] = [];
  findUnsafe(req.query, '', found);
  findUnsafe(req.body, '', found);
  next(found.length ? domainError('validation_failed', found) : undefined);
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The API reads JSON (and multipart on the upload route): a form or text body is refused with 415
 * rather than read as an empty object, which could create a record from defaults alone.
 */
export function requireJsonBody(uploadPaths: string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || req.is(JSON_TYPES)) return next();
    if (req.is('multipart/form-data') && uploadPaths.includes(req.path.replace(/\/$/, ''))) return next();
    next(domainError('unsupported_content_type', req.headers['content-type'] ?? 'none'));
  };
}
