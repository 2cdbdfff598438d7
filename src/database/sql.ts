import type { EntityManager } from 'typeorm';

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

/** The first row, or null. */
export async function one<T = Record<string, unknown>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T | null> {
  return (await sql<T>(em, text, params)).rows[0] ?? null;
}
