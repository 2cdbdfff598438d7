import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql.js';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { QueueService } from '../queue/queue.service.js';

/** How long an import may sit queued, or running without a live job, before it is re-queued. */
const STRANDED_AFTER_SECONDS = 600;

/**
 * PostgreSQL is the record of what was asked for; Redis only carries the work. Every ten minutes
 * (QUEUE_SCHEDULES) imports that should be moving but have no live job get one; the runner resumes
 * them after their last committed batch.
 */
@Injectable()
@JobHandler('imports', 'import.reconcile')
export class ImportReconcileProcessor implements HandlesJob<'imports', 'import.reconcile'> {
  private readonly logger = new Logger('import-reconcile');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: QueueService,
  ) {}

  async handle(): Promise<{ requeued: number }> {
    const { rows } = await sql<{ id: string }>(
      this.db.manager,
      `SELECT id FROM imports
       WHERE origin = 'upload' AND status IN ('queued','running')
         AND coalesce(started_at, created_at) < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT 1000`,
      [STRANDED_AFTER_SECONDS],
    );
    let requeued = 0;
    for (const { id } of rows) {
      const outcome = await this.queues.ensure(this.queues.job('imports', 'import.run', { importId: id }, { jobId: id }));
      if (outcome !== 'present') requeued++;
    }
    if (requeued) this.logger.warn({ requeued }, 'stranded imports re-queued');
    return { requeued };
  }
}
