import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConnectivityModule } from '../connectivity/connectivity.module.js';
import { ImportsModule } from '../imports/imports.module.js';
import { ConnectorReconcileProcessor } from './connector-reconcile.processor.js';
import { ConnectorRunProcessor } from './connector-run.processor.js';
import { ConnectorRunner } from './connector-runner.js';
import { ConnectorSchedules } from './connector-schedules.js';
import { ConnectorTickProcessor } from './connector-tick.processor.js';
import { ConnectorsController } from './connectors.controller.js';
import { ConnectorsRepository } from './connectors.repository.js';
import { ConnectorsService } from './connectors.service.js';
import { WriteBackProcessor } from './write-back.processor.js';
import { WriteBacksRepository } from './write-backs.repository.js';

@Module({
  // AuthModule provides the one Clock (tests move it).
  imports: [AuthModule, ImportsModule, ConnectivityModule],
  controllers: [ConnectorsController],
  providers: [
    ConnectorsRepository,
    ConnectorsService,
    ConnectorSchedules,
    ConnectorRunner,
    ConnectorRunProcessor,
    ConnectorTickProcessor,
    ConnectorReconcileProcessor,
    WriteBacksRepository,
    WriteBackProcessor,
  ],
  exports: [ConnectorRunner],
})
export class ConnectorsModule {}
