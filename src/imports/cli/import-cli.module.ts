import { DynamicModule, Module } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';
import { AuditModule } from '../../audit/audit.module.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DatabaseModule } from '../../database/database.module.js';
import { QUEUE_CONNECTION_OPTIONS, QueueModule } from '../../queue/queue.module.js';
import { ImportsModule } from '../imports.module.js';

/**
 * Redis gets about five seconds to answer (again) before the queues' connection gives up: a follow-up
 * job then fails at once instead of holding a finished import's command open until Redis is back.
 */
const GIVE_UP_ON_REDIS: RedisOptions = { retryStrategy: (attempt: number) => (attempt > 5 ? null : 1000) };

/**
 * The import code's dependencies, without the HTTP server and without workers: the queues are there
 * only to add the jobs a completed import asks for.
 */
@Module({})
export class ImportCliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ImportCliModule,
      global: true,
      imports: [DatabaseModule, QueueModule, AuditModule, ImportsModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: QUEUE_CONNECTION_OPTIONS, useValue: GIVE_UP_ON_REDIS },
      ],
      exports: [APP_CONFIG, QUEUE_CONNECTION_OPTIONS],
    };
  }
}
