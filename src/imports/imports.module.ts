import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConnectivityModule } from '../connectivity/connectivity.module.js';
import { TicketsModule } from '../tickets/tickets.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { BatchPipeline } from './batch-pipeline.js';
import { DryRun } from './dry-run.js';
import { ImportJobHandler } from './import-job.handler.js';
import { ImportLifecycle } from './import-lifecycle.js';
import { ImportMappings } from './import-mappings.js';
import { ImportMappingsController } from './import-mappings.controller.js';
import { ImportMappingsRepository } from './import-mappings.repository.js';
import { ImportMappingsService } from './import-mappings.service.js';
import { ImportReconcileProcessor } from './import-reconcile.processor.js';
import { ImportRunner } from './import-runner.js';
import { ImportsController } from './imports.controller.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';
import { LmsLoginEventsController } from './lms-login-events.controller.js';
import { LmsLoginEventsService } from './lms-login-events.service.js';
import { RosterWithdrawals } from './roster-withdrawals.js';

@Module({
  imports: [
    ConnectivityModule,
    TicketsModule,
    // The upload route's UploadIdempotencyInterceptor (the import command builds this module without the app).
    IdempotencyModule,
    // Uploads stream straight to the shared import directory, never into memory.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: diskStorage({ destination: config.importDir, filename: (_req, _file, done) => done(null, `${randomUUID()}.upload`) }),
        limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [ImportsController, ImportMappingsController, LmsLoginEventsController],
  providers: [
    ImportsRepository,
    ImportsService,
    LmsLoginEventsService,
    BatchPipeline,
    ImportLifecycle,
    RosterWithdrawals,
    DryRun,
    ImportMappingsRepository,
    ImportMappings,
    ImportMappingsService,
    ImportRunner,
    ImportJobHandler,
    ImportReconcileProcessor,
  ],
  exports: [ImportsService, ImportRunner, ImportsRepository],
})
export class ImportsModule {}
