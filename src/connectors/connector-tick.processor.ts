import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobPayload } from '../queue/queue.registry.js';
import { ConnectorsService } from './connectors.service.js';

/** Started by each connector's own job scheduler. */
@Injectable()
@JobHandler('connectors', 'connector.tick')
export class ConnectorTickProcessor implements HandlesJob<'connectors', 'connector.tick'> {
  constructor(private readonly connectors: ConnectorsService) {}

  async handle(job: Job<JobPayload<'connectors', 'connector.tick'>>): Promise<{ runId: string | null }> {
    return { runId: await this.connectors.scheduledRun(job.data.connectorId) };
  }
}
