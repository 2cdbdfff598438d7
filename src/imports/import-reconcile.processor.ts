import { Injectable, Logger } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { QueueService } from '../queue/queue.service.js';
import { ImportsRepository } from './imports.repository.js';

/**
 * How long an import may sit queued, or running, before the reconciler looks at its job: past the
 * moment its job is added after commit. A job that is waiting, delayed or running is left alone.
 */
const STRANDED_AFTER_SECONDS = 60;

/**
 * PostgreSQL is the record of what was asked for; Redis only carries the work. Every minute
 * (QUEUE_SCHEDULES) imports that should be moving but have no live job get one; the runner resumes
 * them after their last committed batch.
 */
@Injectable()
@JobHandler('imports', 'import.reconcile')
export class ImportReconcileProcessor implements HandlesJob<'imports', 'import.reconcile'> {
  private readonly logger = new Logger('import-reconcile');

  constructor(
    private readonly imports: ImportsRepository,
    private readonly queues: QueueService,
  ) {}

  async handle(): Promise<{ requeued: number }> {
    let requeued = 0;
    for (const id of await this.imports.strandedUploads(STRANDED_AFTER_SECONDS, 1000)) {
      const outcome = await this.queues.ensure(this.queues.job('imports', 'import.run', { importId: id }, { jobId: id }));
      if (outcome !== 'present') requeued++;
    }
    if (requeued) this.logger.warn({ requeued }, 'stranded imports re-queued');
    return { requeued };
  }
}
