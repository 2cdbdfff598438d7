import { Injectable } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { LoginEventPartitionsService, type PartitionMaintenance } from './login-event-partitions.service.js';

/** Run daily by the job scheduler in QUEUE_SCHEDULES. */
@Injectable()
@JobHandler('maintenance', 'login-events.partitions')
export class LoginEventPartitionsProcessor implements HandlesJob<'maintenance', 'login-events.partitions'> {
  constructor(private readonly partitions: LoginEventPartitionsService) {}

  handle(): Promise<PartitionMaintenance> {
    return this.partitions.maintain();
  }
}
