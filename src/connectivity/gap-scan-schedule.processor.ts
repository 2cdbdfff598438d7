import { Injectable } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { GapScansService } from './gap-scans.service.js';

/** Run hourly by the job scheduler in QUEUE_SCHEDULES. */
@Injectable()
@JobHandler('gap-scans', 'gap-scan.schedule')
export class GapScanScheduleProcessor implements HandlesJob<'gap-scans', 'gap-scan.schedule'> {
  constructor(private readonly gapScans: GapScansService) {}

  async handle(): Promise<{ scansRequested: number }> {
    return { scansRequested: await this.gapScans.scheduleDue() };
  }
}
