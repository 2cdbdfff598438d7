import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobPayload } from '../queue/queue.registry.js';
import { ImportRunner } from './import-runner.js';

@Injectable()
@JobHandler('imports', 'import.run')
export class ImportJobHandler implements HandlesJob<'imports', 'import.run'> {
  constructor(private readonly runner: ImportRunner) {}

  async handle(job: Job<JobPayload<'imports', 'import.run'>>, signal?: AbortSignal): Promise<void> {
    // attemptsMade counts the attempts that failed before this one.
    await this.runner.run(job.data.importId, {
      finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      ...(signal ? { signal } : {}),
    });
  }
}
