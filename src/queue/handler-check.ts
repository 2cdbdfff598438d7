import { QUEUE_JOBS, type QueueName } from './queue.registry.js';
import type { JobHandlerTarget } from './job-handler.decorator.js';

/**
 * Every registered job needs exactly one handler and every handler a registered job; the worker
 * refuses to start otherwise, rather than leaving jobs to pile up unprocessed.
 */
export function checkHandlers(handlers: JobHandlerTarget[], registry: Readonly<Record<string, readonly string[]>> = QUEUE_JOBS): string[] {
  const problems: string[] = [];
  for (const [queue, names] of Object.entries(registry)) {
    for (const name of names) {
      const count = handlers.filter((h) => h.queue === (queue as QueueName) && h.name === name).length;
      if (count === 0) problems.push(`job ${queue}/${name} has no handler`);
      if (count > 1) problems.push(`job ${queue}/${name} has ${count} handlers`);
    }
  }
  for (const handler of handlers) {
    if (!registry[handler.queue]?.includes(handler.name)) {
      problems.push(`handler for ${handler.queue}/${handler.name} names no registered job`);
    }
  }
  return problems;
}
