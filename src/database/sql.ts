import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

export interface SqlResult<T> {
  rows: T[];
  /** Rows inserted, updated or deleted (or returned, for a SELECT). */
  count: number;
}

/**
 * Raw SQL with one result shape for every statement: TypeORM's `query()` returns `[rows, count]` for
 * UPDATE/DELETE but bare rows otherwise, which is an easy mistake to make with RETURNING.
 */
export async function sql<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<SqlResult<T>> {
  const runner = em.queryRunner ?? em.dataSource.createQueryRunner();
  try {
    const result = await runner.query(text, params, true);
    return { rows: (result.records ?? []) as T[], count: result.affected ?? result.records?.length ?? 0 };
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** A row count written into a statement's text (a LIMIT), refused unless a whole number. */
export function countText(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row count: ${n}`);
  return String(n);
}

/**
 * A timestamptz expression as the text Date#toISOString writes (UTC, milliseconds, `Z`), for rows the API
 * answers as read: pg would otherwise make a Date of each value for the DTO to write back as this text.
 * MS drops the microseconds, as pg's Date does (it truncates them too), so the answer is the same text.
 */
export const isoText = (expression: string): string => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Statement names by text: a name stands for one text on every connection (pg refuses to reuse it). */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `r${createHash('sha1').update(text).digest('hex').slice(0, 30)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * As sql(), as a prepared statement named after its text: each pooled connection parses it once, and
 * after five runs PostgreSQL keeps a generic plan when it costs no more than the custom ones. For a short
 * read of many joins or subqueries, planning took most of its time (student equipment: 0.4 ms planning,
 * 0.13 ms running). Only for texts of a bounded number of shapes (no values written into the text) whose
 * generic plan finds rows as the custom one does: values the plan depends on (a LIKE pattern, a LIMIT, a
 * partial index's condition, an `$n IS NULL OR` choosing the index) make the generic plan worse.
 */
export async function prepared<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<SqlResult<T>> {
  const runner = em.queryRunner ?? em.dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = await client
      .query<T & Record<string, unknown>>({ name: statementName(text), text, values: params })
      .catch((error: unknown) => {
        // The error sql() throws, so pg-errors.ts reads its code either way.
        throw error instanceof Error ? new QueryFailedError(text, params, error) : error;
      });
    return { rows: result.rows, count: result.rowCount ?? result.rows.length };
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** The first row, or null. */
export async function one<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T | null> {
  return (await sql<T>(em, text, params)).rows[0] ?? null;
}

/**
 * A statement built with the `q` tag: values are bound as `$n` in the order they appear in the text, so
 * a statement and its parameters cannot drift apart. A `SqlText` embedded in another keeps its values.
 */
export class SqlText {
  constructor(
    /** Literal text, and between each two a value or an embedded statement. */
    private readonly strings: readonly string[],
    private readonly values: readonly unknown[],
  ) {}

  /** The text with `$1…$n` and the values in that order. */
  render(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    return { text: this.write(values), values };
  }

  private write(into: unknown[]): string {
    let text = this.strings[0] ?? '';
    this.values.forEach((value, i) => {
      text += value instanceof SqlText ? value.write(into) : `$${into.push(value)}`;
      text += this.strings[i + 1] ?? '';
    });
    return text;
  }
}

/** q`SELECT … WHERE id = ${id}`: a statement whose interpolations are parameters, not text. */
export function q(strings: TemplateStringsArray, ...values: unknown[]): SqlText {
  return new SqlText([...strings], values);
}

/** SQL written by us (an identifier, a column list, a fragment), put into a `q` statement as text. */
export function raw(text: string): SqlText {
  return new SqlText([text], []);
}

/** `parts` joined by `separator`, each keeping its own values. */
export function join(parts: readonly SqlText[], separator: string): SqlText {
  if (!parts.length) return raw('');
  return new SqlText(['', ...parts.slice(1).map(() => separator), ''], parts);
}

/** Runs a `q` statement. */
export async function run<T = Record<string, unknown>>(em: EntityManager, statement: SqlText): Promise<SqlResult<T>> {
  const { text, values } = statement.render();
  return sql<T>(em, text, values);
}
