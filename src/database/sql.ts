import { createHash } from 'node:crypto';
import type { FieldDef, PoolClient, QueryArrayResult } from 'pg';
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
export function sql<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<SqlResult<T>> {
  return execute<T>(em, text, params, undefined);
}

/**
 * Empty rows of each column list seen, to copy: pg makes its rows by spreading an object made with
 * Object.create(null), and past about 19 columns V8 gives each such row a dictionary of its properties
 * (4–8 µs a row in a micro-benchmark). An object JSON.parse made keeps a hidden class, and a copy of it
 * shares that class (0.8 µs for 36 columns). A page of 51 devices: 5 % less API CPU, 16 % less allocated.
 */
const emptyRows = new Map<string, Record<string, unknown>>();
/** Column lists are the statements' own, but a bound keeps a mistake from growing the map for ever. */
const MAX_ROW_SHAPES = 2000;

function emptyRow(fields: FieldDef[]): Record<string, unknown> {
  const key = fields.map((field) => field.name).join('\0');
  let row = emptyRows.get(key);
  if (row === undefined) {
    if (emptyRows.size >= MAX_ROW_SHAPES) emptyRows.clear();
    row = JSON.parse(`{${fields.map((field) => `${JSON.stringify(field.name)}:null`).join(',')}}`) as Record<string, unknown>;
    emptyRows.set(key, row);
  }
  return row;
}

/** pg's rows as arrays, made into objects as pg would (a later column of the same name wins). */
function rowsOf<T>(result: Pick<QueryArrayResult, 'fields' | 'rows'>): T[] {
  const { fields, rows } = result;
  if (rows.length === 0) return [];
  const empty = emptyRow(fields);
  return rows.map((values) => {
    const row = { ...empty };
    for (let i = 0; i < fields.length; i++) row[fields[i].name] = values[i];
    return row as T;
  });
}

/** One statement on the manager's connection (a transaction's, or one from the pool), prepared when named. */
async function execute<T>(em: EntityManager, text: string, params: unknown[], name: string | undefined): Promise<SqlResult<T>> {
  const runner = em.queryRunner ?? em.dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const config = { text, values: params, rowMode: 'array' as const };
    const result = await client.query(name === undefined ? config : { ...config, name }).catch((error: unknown) => {
      // The error TypeORM's query() throws, which pg-errors.ts reads the code of.
      throw error instanceof Error ? new QueryFailedError(text, params, error) : error;
    });
    // Several statements in one text without values (the simple protocol) answer a result each: as
    // TypeORM's query() did, no rows and no count.
    if (Array.isArray(result)) return { rows: [], count: 0 };
    const rows = rowsOf<T>(result);
    return { rows, count: result.rowCount ?? rows.length };
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
export function prepared<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<SqlResult<T>> {
  return execute<T>(em, text, params, statementName(text));
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
