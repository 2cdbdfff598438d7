import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobName, JobPayload, QueueName } from './queue.registry.js';

export const JOB_HANDLER_KEY = 'reconnect:job-handler';

export interface JobHandlerTarget {
  queue: QueueName;
  name: string;
}

/** Marks a provider as the one handler of a job; the worker finds it at boot. */
export const JobHandler = <Q extends QueueName>(queue: Q, name: JobName<Q>): ClassDecorator =>
  SetMetadata(JOB_HANDLER_KEY, { queue, name } satisfies JobHandlerTarget);

export interface HandlesJob<Q extends QueueName, N extends JobName<Q>> {
  /** `signal` aborts when the worker shuts down past its budget: stop between steps and throw. */
  handle(job: Job<JobPayload<Q, N>>, signal?: AbortSignal): Promise<unknown>;
}
