import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TicketsModule } from '../tickets/tickets.module.js';
import { ConnectivityController } from './connectivity.controller.js';
import { GapScanEngine } from './gap-scan.engine.js';
import { GapScanProcessor } from './gap-scan.processor.js';
import { GapScanScheduleProcessor } from './gap-scan-schedule.processor.js';
import { GapScansRepository } from './gap-scans.repository.js';
import { GapScansService } from './gap-scans.service.js';
import { LearningModelChangesRepository } from './learning-model-changes.repository.js';
import { RemoteReadinessService } from './remote-readiness.service.js';

@Module({
  imports: [TicketsModule, AuthModule],
  controllers: [ConnectivityController],
  providers: [
    GapScanEngine,
    GapScansRepository,
    LearningModelChangesRepository,
    GapScansService,
    GapScanProcessor,
    GapScanScheduleProcessor,
    RemoteReadinessService,
  ],
  exports: [GapScansService],
})
export class ConnectivityModule {}
