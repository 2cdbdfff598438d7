import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConnectivityModule } from './connectivity/connectivity.module.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { CustodyModule } from './custody/custody.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { DistrictsModule } from './districts/districts.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { KitsModule } from './kits/kits.module.js';
import { LabelsModule } from './labels/labels.module.js';
import { LoginEventsModule } from './login-events/login-events.module.js';
import { StudentsModule } from './students/students.module.js';
import { TicketsModule } from './tickets/tickets.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SearchModule } from './search/search.module.js';
import { ShipmentsModule } from './shipments/shipments.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { bindIdempotencyToPosts } from './idempotency/idempotency.interceptor.js';
import { QueueModule } from './queue/queue.module.js';
import { WorkerService } from './queue/worker.service.js';

/** Domain modules: each brings its controllers (served by the API) and job handlers (run by workers). */
const DOMAIN_MODULES = [
  AuthModule,
  HealthModule,
  IdempotencyModule,
  AuditModule,
  DistrictsModule,
  StudentsModule,
  DevicesModule,
  CustodyModule,
  KitsModule,
  ImportsModule,
  ConnectorsModule,
  LoginEventsModule,
  ConnectivityModule,
  TicketsModule,
  ShipmentsModule,
  ReportsModule,
  LabelsModule,
  SearchModule,
];

@Module({})
export class AppModule {
  /** `worker: true` consumes the queues in this process; an API-only process leaves that to others. */
  static register(config: AppConfig, options: { worker: boolean }): DynamicModule {
    bindIdempotencyToPosts(DOMAIN_MODULES);
    return {
      module: AppModule,
      global: true,
      imports: [DatabaseModule, QueueModule, DiscoveryModule, ...DOMAIN_MODULES],
      providers: [{ provide: APP_CONFIG, useValue: config }, ...(options.worker ? [WorkerService] : [])],
      exports: [APP_CONFIG],
    };
  }
}
