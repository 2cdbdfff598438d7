import { Global, Module } from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue, RedisOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { QUEUE_NAMES } from './queue.registry.js';
import { QueueErrorLogger } from './queue-error-logger.js';
import { QueueService } from './queue.service.js';

/**
 * Optional Redis options for the queues' connection, provided by a process that must not wait for an
 * unreachable Redis (the import command); without them the connection retries for as long as it takes.
 */
export const QUEUE_CONNECTION_OPTIONS = Symbol('QUEUE_CONNECTION_OPTIONS');

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG, { token: QUEUE_CONNECTION_OPTIONS, optional: true }],
      useFactory: (config: AppConfig, options?: RedisOptions) => ({
        connection: { ...options, url: config.redisUrl },
        prefix: config.queuePrefix,
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
  ],
  providers: [
    QueueService,
    {
      provide: QueueErrorLogger,
      inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
      useFactory: (...queues: Queue[]) => new QueueErrorLogger(queues),
    },
  ],
  exports: [QueueService],
})
export class QueueModule {}
