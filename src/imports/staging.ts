import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { sql } from '../database/sql.js';

export type Cell = string | number | boolean | null;

export interface StageColumn {
  name: string;
  /** The SQL type; COPY parses each cell into it. */
  type: string;
}

/**
 * The temporary tables one batch goes through, dropped at COMMIT: `import_stage` (the batch's good rows,
 * with their line), `import_stage_errors` (row errors, from parsing and from the apply step) and, for a
 * bulk roster, `import_stage_keys` (every key the batch named).
 */
export async function createStage(em: EntityManager, columns: StageColumn[]): Promise<void> {
  const defs = columns.map((c) => `${c.name} ${c.type}`).join(', ');
  await sql(em, `CREATE TEMP TABLE import_stage (line integer NOT NULL${defs ? `, ${defs}` : ''}) ON COMMIT DROP`);
  await sql(em, `CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP`);
  await sql(em, `CREATE TEMP TABLE import_stage_keys (key text NOT NULL) ON COMMIT DROP`);
}

/** The pg client under a transaction's EntityManager: COPY needs the raw connection. */
function clientOf(em: EntityManager): PoolClient {
  const runner = em.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
  if (!runner?.databaseConnection) throw new Error('COPY needs a connected transaction');
  return runner.databaseConnection;
}

function encode(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function* chunks(rows: Cell[][]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(encode).join('\t') + '\n';
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** COPYs rows (in COPY's text format) into a table of the transaction. */
export async function copyRows(em: EntityManager, table: string, columns: string[], rows: Cell[][]): Promise<void> {
  if (!rows.length) return;
  const stream = clientOf(em).query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(rows)), stream);
}
