import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor } from '../common/http/pagination.js';
import { isUuid } from '../common/http/uuid-param.pipe.js';

export const isText = (value: unknown): value is string => typeof value === 'string';
export const isDigits = (value: unknown): value is string => typeof value === 'string' && /^\d{1,18}$/.test(value);
export const isUuidKey = (value: unknown): value is string => typeof value === 'string' && isUuid(value);

/**
 * decodeCursor() that also checks the type of each part of the key, so a cursor a client made up is a
 * 400 naming `cursor` rather than a failed cast in SQL.
 */
export function cursorKey(cursor: string | undefined, parts: ((value: unknown) => boolean)[]): string[] | null {
  const key = decodeCursor(cursor, parts.length);
  if (!key) return null;
  if (!parts.every((valid, i) => valid(key[i]))) {
    throw new DomainError('validation', 'invalid_cursor', 'The cursor is not one this list handed out.', [
      { field: 'cursor', message: 'not a cursor from this list' },
    ]);
  }
  return key as string[];
}
