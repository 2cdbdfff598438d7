import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/actor.js';
import type { HeaderSpec } from '../parsing/headers.js';
import { CellError, text } from '../parsing/values.js';
import type { Cell, StageColumn } from '../staging.js';

/** A record's values by our field names; blank cells are left out. */
export type Fields = Record<string, string>;

export interface FieldProblem {
  field: string | null;
  message: string;
}

/** What one record becomes: a staging row, row errors, or nothing (not ours, e.g. a teacher). */
export type Mapped = { row: Cell[]; key?: string } | { errors: FieldProblem[]; key?: string } | { skip: true };

/** Who and what a batch is for. */
export interface BatchContext {
  districtId: string;
  /** null for a batch that belongs to no import (the login-events endpoint). */
  importId: string | null;
  actor: Actor;
}

export interface Applied {
  created: number;
  updated: number;
  /** Counters particular to the kind, added to the import's stats. */
  stats?: Record<string, number>;
}

/**
 * One kind of record (a file of a kind, or one member of a OneRoster zip): how its columns are named,
 * how a record is checked and staged, and the set-based SQL that applies a staged batch.
 */
export interface Part {
  /** Its name in checkpoints and row errors: "users.csv", or the kind for a single file. */
  name: string;
  headers: HeaderSpec;
  /** For JSON input: the array holding the records, and how one element becomes fields. */
  json?: { key: string; fields(value: unknown): Fields | FieldProblem[] };
  columns: StageColumn[];
  map(fields: Fields): Mapped;
  /**
   * Applies `import_stage` to the district's tables in the batch's transaction. Staged rows it cannot
   * apply (unknown school, duplicate key) go to `import_stage_errors` and are left alone.
   */
  apply(em: EntityManager, ctx: BatchContext): Promise<Applied>;
  /** Whether the keys of the records (`Mapped.key`) are kept until the import ends, for finish(). */
  remembersKeys?: boolean;
  /** Runs once, in the transaction that completes the import. */
  finish?(em: EntityManager, ctx: BatchContext): Promise<Record<string, number>>;
  /**
   * Runs once when the import ends, completed or failed, in the transaction that ends it: applies what
   * the committed batches left for the end.
   */
  settle?(em: EntityManager, ctx: BatchContext): Promise<void>;
}

/** The error message for a value a field may not hold, naming the value if it is short. */
export function quoted(value: string): string {
  return value.length > 60 ? `"${value.slice(0, 57)}..."` : `"${value}"`;
}

/**
 * Reports earlier rows of a batch whose key a later row repeats: ON CONFLICT may touch a row only once
 * per statement, and the later row is the newer truth.
 */
export function duplicateKeyErrors(keyColumn: string, field: string): string {
  return `
    INSERT INTO import_stage_errors (line, field, message)
    SELECT line, '${field}', '${field} ' || ${keyColumn} || ' appears again on line ' || last_line || ', which was used'
    FROM (SELECT line, ${keyColumn}, max(line) OVER (PARTITION BY ${keyColumn}) AS last_line
          FROM import_stage WHERE ${keyColumn} IS NOT NULL) d
    WHERE line < last_line`;
}

/** The staged rows no error was recorded for. */
export const GOOD_ROWS = `NOT EXISTS (SELECT 1 FROM import_stage_errors e WHERE e.line = st.line)`;

/**
 * Parameters of the audit rows a bulk statement writes for what it changed (the same audit_events the
 * UnitOfWork writes for single changes), marked with the import they came from.
 */
export function auditParams(ctx: BatchContext): [string | null, string, string | null] {
  return [ctx.actor.tokenId, ctx.actor.name, ctx.importId ? `import:${ctx.importId}` : null];
}

/** Runs one cell parser, turning its CellError into a row error on `field`. */
export function attempt<T>(errors: FieldProblem[], field: string, run: () => T): T | null {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    errors.push({ field, message: error.message });
    return null;
  }
}

export function required(fields: Fields, field: string, max: number): string {
  const value = fields[field];
  if (value === undefined) throw new CellError('is required');
  return text(value, max);
}

/** The parsed value of a field, or null when the cell is blank. */
export function optional<T>(fields: Fields, field: string, parse: (value: string) => T): T | null {
  const value = fields[field];
  return value === undefined ? null : parse(value);
}
