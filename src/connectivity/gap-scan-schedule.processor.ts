import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { QueueService } from '../queue/queue.service.js';
import { GapScansService } from './gap-scans.service.js';

/** BullMQ job scheduler: hourly, so each district's daily scan starts soon after its own 6 a.m. */
@Injectable()
@JobHandler('gap-scans', 'gap-scan.schedule')
export class GapScanScheduleProcessor implements HandlesJob<'gap-scans', 'gap-scan.schedule'>, OnApplicationBootstrap {
  constructor(
    private readonly gapScans: GapScansService,
    private readonly queues: QueueService,
  ) {}

  /** Idempotent: every process upserts the same scheduler, and Redis keeps one. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queues.queue('gap-scans').upsertJobScheduler(
      'gap-scan-schedule',
      { pattern: '5 * * * *' },
      { name: 'gap-scan.schedule', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  async handle(): Promise<{ scansRequested: number }> {
    return { scansRequested: await this.gapScans.scheduleDue() };
  }
}
