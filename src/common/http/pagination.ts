import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { domainError } from '../errors/error-codes.js';
import { isUuid } from './uuid-param.pipe.js';

/**
 * A whole number in a query string, read strictly: digits only. Number() would also take "1e2", "0x10"
 * and " 5"; those stay strings here, so @IsInt() refuses them.
 */
export const QueryInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));

/** `limit` and `cursor` query parameters for keyset pagination; extend it with a list's filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** A district-scoped list: a state token may narrow it to one district, a district token sees its own. */
export class DistrictPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A state token may narrow the list to one district; a district token always sees its own.',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export const DEFAULT_PAGE_SIZE = 50;

/** An opaque cursor holding the sort key of the last row of a page. */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number | null)[] | null {
  if (cursor === undefined) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((v) => v === null || ['string', 'number'].includes(typeof v))) {
      return key as (string | number | null)[];
    }
  } catch {
    // fall through to the error below
  }
  throw domainError('invalid_cursor');
}

/**
 * Fetch `limit + 1` rows, then call this: it trims the extra row and turns the last kept row's key
 * into the next cursor, so no count query is needed.
 */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

export const isText = (value: unknown): value is string => typeof value === 'string';
export const isDigits = (value: unknown): value is string => typeof value === 'string' && /^\d{1,18}$/.test(value);
export const isUuidKey = (value: unknown): value is string => typeof value === 'string' && isUuid(value);
/** A UTC instant as our cursors write it (to the millisecond or microsecond), on a day that exists. */
const CURSOR_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?Z$/;
export const isTimestamp = (value: unknown): value is string => {
  const match = typeof value === 'string' ? CURSOR_TIMESTAMP.exec(value) : null;
  if (!match) return false;
  // Date() would roll 2026-02-30 into March; PostgreSQL refuses it. Neither is a cursor we wrote.
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number(match[1]) >= 1970 && day.toISOString().slice(0, 10) === `${match[1]}-${match[2]}-${match[3]}`;
};
export const isSmallInt = (value: unknown): value is number => Number.isInteger(value) && Math.abs(value as number) < 32768;

/**
 * decodeCursor() that also checks the type of each part of the key, so a cursor a client made up is a
 * 400 naming `cursor` rather than a failed cast in SQL.
 */
export function cursorKey<T extends unknown[]>(
  cursor: string | undefined,
  parts: { [K in keyof T]: (value: unknown) => value is T[K] },
): T | null {
  const key = decodeCursor(cursor, parts.length);
  if (!key) return null;
  if (!parts.every((valid: (value: unknown) => boolean, i: number) => valid(key[i]))) {
    throw domainError('invalid_cursor');
  }
  return key as T;
}
