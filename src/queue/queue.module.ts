import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { QUEUE_NAMES } from './queue.registry.js';
import { QueueErrorLogger } from './queue-error-logger.js';
import { QueueService } from './queue.service.js';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.redisUrl },
        prefix: config.queuePrefix,
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
  ],
  providers: [QueueService, QueueErrorLogger],
  exports: [QueueService],
})
export class QueueModule {}
