import type { EntityManager } from 'typeorm';
import { q, raw, run, type SqlText } from './sql.js';

/**
 * A temp table of the caller's transaction, dropped at commit. Only the factories below make a handle,
 * and a statement that reads a temp table takes its handle and names the table through `ref`, so it
 * cannot run before the table exists. `Name` is the table's name: what the reading statements expect.
 */
export class TempTable<Name extends string> {
  /** The table's name, to put in a `q` statement. */
  readonly ref: SqlText;

  private constructor(readonly name: Name) {
    this.ref = raw(name);
  }

  /** `CREATE TEMP TABLE <name> ON COMMIT DROP AS <select>`, with the number of rows it holds. */
  static async as<N extends string>(em: EntityManager, name: N, select: SqlText): Promise<{ table: TempTable<N>; rows: number }> {
    const table = new TempTable(name);
    const { count } = await run(em, q`CREATE TEMP TABLE ${table.ref} ON COMMIT DROP AS ${select}`);
    return { table, rows: count };
  }

  /** `CREATE TEMP TABLE <name> (<columns>) ON COMMIT DROP`, for a statement to fill. */
  static async of<N extends string>(em: EntityManager, name: N, columns: string): Promise<TempTable<N>> {
    const table = new TempTable(name);
    await run(em, q`CREATE TEMP TABLE ${table.ref} (${raw(columns)}) ON COMMIT DROP`);
    return table;
  }

  /** Drops it before commit, for a transaction that makes it again. */
  async drop(em: EntityManager): Promise<void> {
    await run(em, q`DROP TABLE ${this.ref}`);
  }
}
