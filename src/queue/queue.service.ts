import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { RETRY_BACKOFF, RETRY_DELAYS_MS, type JobName, type JobPayload, type QueueName } from './queue.registry.js';

export interface PendingJob {
  queue: QueueName;
  name: string;
  data: unknown;
  options: JobsOptions;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: RETRY_DELAYS_MS.length + 1,
  backoff: { type: RETRY_BACKOFF },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Jobs add() could not hand to Redis in this process, and the last reason. */
export interface AddFailures {
  jobs: number;
  lastError: string | null;
}

/** Typed producer. Call through UnitOfWork so jobs are added only once their transaction commits. */
@Injectable()
export class QueueService {
  private readonly failures: AddFailures = { jobs: 0, lastError: null };

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

  /**
   * Whether a worker holds the job's lock right now. A worker renews it while the job runs; once that
   * worker dies, the lock lapses after the worker's lock duration and the job is no longer being worked.
   */
  async hasLiveLock(name: QueueName, jobId: string): Promise<boolean> {
    const queue = this.queue(name);
    const client = await queue.getBackend().client;
    return (await client.get(`${queue.toKey(jobId)}:lock`)) !== null;
  }

  async add(jobs: PendingJob[]): Promise<void> {
    for (const [index, job] of jobs.entries()) {
      try {
        await this.queue(job.queue).add(job.name, job.data, job.options);
      } catch (error) {
        this.failures.jobs += jobs.length - index;
        this.failures.lastError = (error as Error).message;
        throw error;
      }
    }
  }

  /**
   * What add() failed to queue so far. The records those jobs were for still say "queued" in PostgreSQL,
   * where the reconcilers find them; a short-lived process (the import command) tells its user so.
   */
  addFailures(): AddFailures {
    return { ...this.failures };
  }
}
