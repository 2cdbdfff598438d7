import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql.js';
import { QueueService } from '../queue/queue.service.js';
import { QUEUE_NAMES, type QueueName } from '../queue/queue.registry.js';

/** A record PostgreSQL says is running while no worker holds its job: its worker died, or its job gave up. */
export interface StuckWork {
  kind: 'import' | 'gap_scan';
  id: string;
}

const QUEUE_OF: Record<StuckWork['kind'], QueueName> = { import: 'imports', gap_scan: 'gap-scans' };

const CHECK_TIMEOUT_MS = 2000;

async function up(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: QueueService,
  ) {}

  async ready(): Promise<{ status: 'ok' | 'unavailable'; postgres: 'up' | 'down'; redis: 'up' | 'down'; stuck?: StuckWork[] }> {
    const [postgres, redis] = await Promise.all([
      up(() => this.db.query('SELECT 1')),
      up(() => this.queues.queue(QUEUE_NAMES[0]).getJobCounts('waiting')),
    ]);
    let stuck: StuckWork[] = [];
    if (postgres === 'up' && redis === 'up') await up(async () => (stuck = await this.stuck()));
    const status = postgres === 'up' && redis === 'up' && !stuck.length ? 'ok' : 'unavailable';
    return { status, postgres, redis, ...(stuck.length ? { stuck } : {}) };
  }

  /**
   * Imports and gap scans running without a live job lock (it lapses a lock duration after the worker
   * stops). Read again after the lock check, so a job that just finished is not taken for a stuck one.
   */
  private async stuck(): Promise<StuckWork[]> {
    const { rows } = await sql<StuckWork>(
      this.db.manager,
      // A connector's import runs inside the connector's job, not a job of its own: its lock is not the import's.
      `SELECT 'import' AS kind, id FROM imports WHERE status = 'running' AND origin <> 'connector'
       UNION ALL SELECT 'gap_scan', id FROM gap_scans WHERE status = 'running' LIMIT 100`,
    );
    const unlocked: StuckWork[] = [];
    for (const work of rows) if (!(await this.queues.hasLiveLock(QUEUE_OF[work.kind], work.id))) unlocked.push(work);
    if (!unlocked.length) return [];
    const still = await sql<{ id: string }>(
      this.db.manager,
      `SELECT id FROM imports WHERE status = 'running' AND id = ANY($1::uuid[])
       UNION ALL SELECT id FROM gap_scans WHERE status = 'running' AND id = ANY($1::uuid[])`,
      [unlocked.map((w) => w.id)],
    );
    const ids = new Set(still.rows.map((r) => r.id));
    return unlocked.filter((w) => ids.has(w.id));
  }
}
