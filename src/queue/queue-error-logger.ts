import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

/** While Redis is down its client errors on every retry; one line per queue this often is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Without a listener BullMQ prints connection errors to stderr as raw text; log them as JSON instead.
 * Made with the queues (QueueModule's factory), so the listener is there before a connection made at
 * start can fail: the import command starts without checking that Redis answers.
 */
export class QueueErrorLogger {
  private readonly logger = new Logger('queue');

  constructor(queues: Queue[]) {
    for (const queue of queues) {
      let lastLogged = 0;
      queue.on('error', (error: Error) => {
        if (Date.now() - lastLogged < ERROR_LOG_INTERVAL_MS) return;
        lastLogged = Date.now();
        this.logger.warn({ queue: queue.name, error: error.message }, 'queue connection error');
      });
    }
  }
}
