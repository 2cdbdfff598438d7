import { createHash } from 'node:crypto';

/** The answer kept for replay: status, the headers that describe it, and the JSON body. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type ClaimOutcome = { kind: 'claimed' } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'in_progress' } | { kind: 'mismatch' };

/**
 * The key as sent: the draft makes it a Structured Field string ("…"); a bare token is accepted too,
 * as clients commonly send one. null: not a usable key.
 */
export function parseIdempotencyKey(header: string): string | null {
  const text = header.trim();
  const key = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  return /^[\x21-\x7e]{1,255}$/.test(key) && !key.includes('"') && !key.includes('\\') ? key : null;
}

/** JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same": method, path and query, and the body (canonical JSON, plus a file's digest). */
export function requestFingerprint(method: string, url: string, body: unknown, fileDigest: string | null): string {
  return createHash('sha256')
    .update([method.toUpperCase(), url, canonicalJson(body ?? null), fileDigest ?? ''].join('\n'))
    .digest('hex');
}
