import { Injectable } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** Run hourly by the job scheduler in QUEUE_SCHEDULES: forgets keys past their 24 hours. */
@Injectable()
@JobHandler('maintenance', 'idempotency.cleanup')
export class IdempotencyCleanupProcessor implements HandlesJob<'maintenance', 'idempotency.cleanup'> {
  constructor(private readonly keys: IdempotencyRepository) {}

  async handle(): Promise<{ keysDeleted: number }> {
    return { keysDeleted: await this.keys.deleteExpired() };
  }
}
