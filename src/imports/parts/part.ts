import type { EntityManager } from 'typeorm';
import type { AuditAuthor } from '../../audit/audit-writer.js';
import type { Actor } from '../../common/actor.js';
import type { BulkStage, Cell, StageColumn } from '../../database/bulk-stage.js';
import { q, raw, type SqlText } from '../../database/sql.js';
import type { RowError } from '../parsing/file-error.js';
import type { HeaderSpec } from '../parsing/headers.js';
import { CellError, text } from '../parsing/values.js';

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
  importId: string;
  actor: Actor;
  /** How row errors name a record: a CSV's line, a JSON file's item. */
  unit?: 'line' | 'item';
}

/** How often one value of a field occurs in a file, and its first lines. */
export interface ValueTally {
  count: number;
  /** The first few lines it is on. */
  lines: number[];
}

/**
 * A field whose values are checked across the whole file before anything is written (an asset export's
 * status labels): `check` answers the values it refuses, each once, or nothing.
 */
export interface Precheck {
  field: string;
  check(em: EntityManager, ctx: BatchContext, values: Map<string, ValueTally>): Promise<RowError[]>;
}

export interface Applied {
  created: number;
  updated: number;
  /** Staged rows the apply step found not to be ours (a OneRoster 1.2 teacher, a staff login). */
  skipped?: number;
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
  columns: readonly StageColumn[];
  map(fields: Fields): Mapped;
  /**
   * Applies the staged rows to the district's tables in the batch's transaction. Staged rows it cannot
   * apply (unknown school, duplicate key) go to the stage's errors and are left alone.
   */
  apply(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied>;
  /** A statement (no parameters) that runs before apply in its transaction, with the stage's analysis. */
  beforeApply?(ctx: BatchContext): string;
  /** Values checked for the whole file before its first batch; any refusal fails the import with nothing written. */
  precheck?: Precheck;
  /**
   * Tables (with a district_id) whose statistics the part's statements are planned on. When they expect
   * fewer of the district's rows than a batch (a district's first load), the first batch commits before
   * the second is planned, and the table is analysed in between: planned on statistics that did not know
   * the district, a key probe became a scan of every row the batches before had written, once for each
   * staged row (bench/RESULTS.md, city notes and the state run of 6 December). Not for users.csv: statistics taken
   * after a big district's first batch planned the small districts' enrolment-date settle badly.
   */
  plannedOn?: readonly string[];
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
export function duplicateKeyErrors(stage: BulkStage, keyColumn: string, field: string, unit: 'line' | 'item' = 'line'): SqlText {
  const key = raw(keyColumn);
  return q`
    INSERT INTO ${stage.errors} (line, field, message)
    SELECT line, ${raw(`'${field}', '${field} '`)} || ${key} || ${raw(`' appears again on ${unit} '`)} || last_line || ', which was used'
    FROM (SELECT line, ${key}, max(line) OVER (PARTITION BY ${key}) AS last_line
          FROM ${stage.rows} WHERE ${key} IS NOT NULL) d
    WHERE line < last_line`;
}

/**
 * Who the audit rows of a batch's bulk statements name (the same audit_events the UnitOfWork writes
 * for single changes), marked with the import they came from.
 */
export function auditAuthor(ctx: BatchContext): AuditAuthor {
  return { actor: ctx.actor, requestId: `import:${ctx.importId}` };
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
