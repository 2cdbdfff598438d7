import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { QUEUE_NAMES } from './queue.registry.js';
import { QueueService } from './queue.service.js';

/** While Redis is down its client errors on every retry; one line per queue this often is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/** Without a listener BullMQ prints connection errors to stderr as raw text; log them as JSON instead. */
@Injectable()
export class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('queue');

  constructor(private readonly queues: QueueService) {}

  onModuleInit(): void {
    for (const name of QUEUE_NAMES) {
      let lastLogged = 0;
      this.queues.queue(name).on('error', (error: Error) => {
        if (Date.now() - lastLogged < ERROR_LOG_INTERVAL_MS) return;
        lastLogged = Date.now();
        this.logger.warn({ queue: name, error: error.message }, 'queue connection error');
      });
    }
  }
}
