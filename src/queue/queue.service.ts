import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type { JobName, JobPayload, QueueName } from './queue.registry.js';

export interface PendingJob {
  queue: QueueName;
  name: string;
  data: unknown;
  options: JobsOptions;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Typed producer. Call through UnitOfWork so jobs are added only once their transaction commits. */
@Injectable()
export class QueueService {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  job<Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N, data: JobPayload<Q, N>, options: JobsOptions = {}): PendingJob {
    return { queue, name, data, options: { ...DEFAULT_JOB_OPTIONS, ...options } };
  }

  /**
   * Makes sure a job that should exist is queued: added if Redis lost it (it was down at commit, or
   * restarted without persistence), retried if BullMQ gave up on it; left alone otherwise. Jobs keyed
   * by their record's id make this safe to call as often as a reconciler likes.
   */
  async ensure(job: PendingJob): Promise<'added' | 'retried' | 'present'> {
    if (!job.options.jobId) throw new Error(`ensure() needs a job keyed by its record: ${job.queue}/${job.name} has no jobId`);
    const queue = this.queue(job.queue);
    const existing = await queue.getJob(job.options.jobId);
    if (!existing) {
      await queue.add(job.name, job.data, job.options);
      return 'added';
    }
    if ((await existing.getState()) === 'failed') {
      await existing.retry('failed');
      return 'retried';
    }
    return 'present';
  }

  async add(jobs: PendingJob[]): Promise<void> {
    for (const job of jobs) {
      await this.queue(job.queue).add(job.name, job.data, job.options);
    }
  }
}
