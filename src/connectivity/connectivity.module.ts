import { Module } from '@nestjs/common';
import { ConnectivityController } from './connectivity.controller.js';
import { GapScanEngine } from './gap-scan.engine.js';
import { GapScanProcessor } from './gap-scan.processor.js';
import { GapScanScheduleProcessor } from './gap-scan-schedule.processor.js';
import { GapScansRepository } from './gap-scans.repository.js';
import { GapScansService } from './gap-scans.service.js';
import { RemoteReadinessService } from './remote-readiness.service.js';

@Module({
  controllers: [ConnectivityController],
  providers: [GapScanEngine, GapScansRepository, GapScansService, GapScanProcessor, GapScanScheduleProcessor, RemoteReadinessService],
  exports: [GapScansService],
})
export class ConnectivityModule {}
