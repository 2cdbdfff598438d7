import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobPayload } from '../queue/queue.registry.js';
import { ConnectorRunner } from './connector-runner.js';

@Injectable()
@JobHandler('connectors', 'connector.run')
export class ConnectorRunProcessor implements HandlesJob<'connectors', 'connector.run'> {
  constructor(private readonly runner: ConnectorRunner) {}

  async handle(job: Job<JobPayload<'connectors', 'connector.run'>>, signal?: AbortSignal): Promise<{ status: string | null }> {
    // attemptsMade counts the attempts that failed before this one.
    const run = await this.runner.run(job.data.runId, {
      finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      ...(signal ? { signal } : {}),
    });
    return { status: run?.status ?? null };
  }
}
