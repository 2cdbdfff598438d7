import { Injectable } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import { ConnectorsService } from './connectors.service.js';

/** Every five minutes (QUEUE_SCHEDULES): puts back connector schedulers, run jobs and write-back jobs Redis lost. */
@Injectable()
@JobHandler('connectors', 'connector.reconcile')
export class ConnectorReconcileProcessor implements HandlesJob<'connectors', 'connector.reconcile'> {
  constructor(private readonly connectors: ConnectorsService) {}

  handle(): Promise<{ schedulers: number; runsEnsured: number; writeBacksEnsured: number }> {
    return this.connectors.reconcile();
  }
}
