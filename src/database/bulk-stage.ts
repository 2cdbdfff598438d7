import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { q, raw, run, sql, type SqlText } from './sql.js';

export type Cell = string | number | boolean | null;

export interface StageColumn {
  name: string;
  /** The SQL type; COPY parses each cell into it. */
  type: string;
}

/** Settings for the transaction of one bulk batch: see tuneBulkTransaction. */
export interface BulkTuning {
  durable: boolean;
}

/** tuneBulkTransaction's statement. */
function tuningStatement({ durable }: BulkTuning): string {
  return `SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)${durable ? '' : `, set_config('synchronous_commit', 'off', true)`}`;
}

/**
 * Settings for the transaction of one bulk batch (SET LOCAL: they end with it). JIT compiling is off:
 * at batch-sized row estimates it costs 0.2–0.3 s a statement, more than most statements take. A
 * batch's hash joins and sorts get the memory to stay out of temporary files. `durable: false` (import
 * batches only) also stops COMMIT from waiting for the WAL flush: a batch lost in a database crash took
 * its checkpoint with it, so the resumed import applies it again.
 */
export async function tuneBulkTransaction(em: EntityManager, options: BulkTuning): Promise<void> {
  await sql(em, tuningStatement(options));
}

/**
 * Runs statements that find rows by key (one probe a staged row) with sequential scans off, so each
 * probe is an index whatever the statistics: planned on a table that had no pages yet, as a new
 * server's first imports find students and devices, a probe is a scan per row that grows while other
 * districts' imports fill the table (two at a time: a roster batch of 18,750 rows ran 269 s, a device
 * batch over 10 minutes; bench/RESULTS.md). Only for such statements: set-based matching (a district's
 * holders by name, Google's devices against the inventory) needs its hash joins, and took 10 times as
 * long with the setting on the whole batch. An error leaves the setting to the transaction's rollback.
 * The index is not always the key: on a table with no pages every index costs the planner the same, and
 * a device probe then reads a search index whose district column is not its first (all of it; students
 * keep their key, and a device list probes only a district that had devices: districtHadDevices). Such a
 * probe still grows with a table other imports fill; a probe must never run in the statement that fills
 * its own table (upsertChromeDevices).
 */
export async function probingByKey<T>(em: EntityManager, statements: () => Promise<T>): Promise<T> {
  await sql(em, `SELECT set_config('enable_seqscan', 'off', true)`);
  const result = await statements();
  await sql(em, `SELECT set_config('enable_seqscan', 'on', true)`);
  return result;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function encode(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/**
 * Rows in COPY's text format, encoded as they are added: a batch keeps flat text, not arrays of cells
 * (nor the chunks of the file that the cells were cut from).
 */
export class CopyBuffer {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  count = 0;

  /** A row of the staging table: its line in the file, then its cells. */
  add(line: number, cells: readonly Cell[]): void {
    let text = String(line);
    for (const cell of cells) text += `\t${encode(cell)}`;
    text += '\n';
    this.pending.push(text);
    this.pendingLength += text.length;
    this.count += 1;
    if (this.pendingLength >= 64 * 1024) this.flatten();
  }

  text(): string[] {
    this.flatten();
    return this.chunks;
  }

  private flatten(): void {
    if (!this.pending.length) return;
    this.chunks.push(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** The pg client under a transaction's EntityManager: COPY needs the raw connection. */
function clientOf(em: EntityManager): PoolClient {
  const runner = em.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
  if (!runner?.databaseConnection) throw new Error('COPY needs a connected transaction');
  return runner.databaseConnection;
}

/** COPYs the buffered rows into a table of the transaction. */
async function copyIn(em: EntityManager, table: string, columns: string[], rows: CopyBuffer): Promise<void> {
  if (!rows.count) return;
  const stream = clientOf(em).query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(rows.text()), stream);
}

/** The statistics target of the stage's analysis, for the rest of the transaction. */
const STATISTICS_TARGET = `SELECT set_config('default_statistics_target', '10', true)`;

/**
 * The temporary tables one bulk batch goes through, dropped at COMMIT: `import_stage` (the batch's good
 * rows, with their line) and `import_stage_errors` (row errors, from parsing and from the apply step).
 * Only `create` makes one, so a statement that takes a stage cannot run before its tables exist.
 */
export class BulkStage {
  /** The staged rows; statements alias it `st` for `goodRows`. */
  readonly rows: SqlText = raw('import_stage');
  /** Row errors by line (line, field, message). */
  readonly errors: SqlText = raw('import_stage_errors');
  /** The staged row `st` has no error recorded. */
  readonly goodRows: SqlText = raw(`NOT EXISTS (SELECT 1 FROM import_stage_errors e WHERE e.line = st.line)`);

  private constructor(
    readonly columns: readonly StageColumn[],
    /** Whether create() set the statistics target already. */
    private readonly targetSet: boolean,
  ) {}

  /**
   * Makes the stage's tables; with `tuning`, also tunes the transaction (tuneBulkTransaction) and sets
   * the statistics target `analyze` samples with, all in one round trip (a batch's first statements).
   */
  static async create(em: EntityManager, columns: readonly StageColumn[], tuning?: BulkTuning): Promise<BulkStage> {
    const defs = columns.map((c) => `${c.name} ${c.type}`).join(', ');
    // No parameters: sent as one simple query, several statements in one round trip.
    await sql(
      em,
      [
        ...(tuning ? [tuningStatement(tuning), STATISTICS_TARGET] : []),
        `CREATE TEMP TABLE import_stage (line integer NOT NULL${defs ? `, ${defs}` : ''}) ON COMMIT DROP`,
        `CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP`,
      ].join('; '),
    );
    return new BulkStage(columns, tuning !== undefined);
  }

  /** COPYs rows (line, then a cell for each column) into the staged rows. */
  copyRows(em: EntityManager, rows: CopyBuffer): Promise<void> {
    return copyIn(em, 'import_stage', ['line', ...this.columns.map((c) => c.name)], rows);
  }

  /** COPYs row errors (line, field, message) found before staging. */
  copyErrors(em: EntityManager, errors: CopyBuffer): Promise<void> {
    return copyIn(em, 'import_stage_errors', ['line', 'field', 'message'], errors);
  }

  /**
   * Statistics for the staged rows (temporary tables have none until analysed; the joins of the apply
   * step need them), from a sample of a few thousand rows rather than of the whole batch. `before`: a
   * statement without parameters the apply step needs first, sent in the same round trip.
   */
  async analyze(em: EntityManager, before?: string): Promise<void> {
    const statements = [...(before ? [before] : []), ...(this.targetSet ? [] : [STATISTICS_TARGET]), 'ANALYZE import_stage'];
    await sql(em, statements.join('; '));
  }
}

/**
 * A temporary table of keys (`key text`), analysed, dropped at COMMIT: a set a bulk statement anti-joins
 * against. Only `create` makes one.
 */
export class KeySet {
  readonly table: SqlText;

  private constructor(name: string) {
    this.table = raw(name);
  }

  /** `name` is ours (an identifier); `keys` is a query whose one column is `key`. */
  static async create(em: EntityManager, name: string, keys: SqlText): Promise<KeySet> {
    await run(em, q`CREATE TEMP TABLE ${raw(name)} ON COMMIT DROP AS ${keys}`);
    await sql(em, `ANALYZE ${name}`);
    return new KeySet(name);
  }
}
