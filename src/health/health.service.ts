import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QueueService } from '../queue/queue.service.js';
import { QUEUE_NAMES } from '../queue/queue.registry.js';

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

  async ready(): Promise<{ status: 'ok' | 'unavailable'; postgres: 'up' | 'down'; redis: 'up' | 'down' }> {
    const [postgres, redis] = await Promise.all([
      up(() => this.db.query('SELECT 1')),
      up(() => this.queues.queue(QUEUE_NAMES[0]).getJobCounts('waiting')),
    ]);
    return { status: postgres === 'up' && redis === 'up' ? 'ok' : 'unavailable', postgres, redis };
  }
}
