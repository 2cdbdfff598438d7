import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Worker, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { checkHandlers } from './handler-check.js';
import { JOB_HANDLER_KEY, type JobHandlerTarget } from './job-handler.decorator.js';
import { QUEUE_CONCURRENCY, QUEUE_NAMES, QUEUE_SCHEDULES, RETRY_BACKOFF, retryDelayMs, type QueueName } from './queue.registry.js';
import { QueueService } from './queue.service.js';

/**
 * How often a worker makes sure its job schedulers are still in Redis: one that restarted empty (or was
 * flushed) has lost them, and without them the daily scans and the reconcilers stop silently.
 */
const SCHEDULE_CHECK_MS = 20_000;

interface Handler {
  handle(job: Job, signal?: AbortSignal): Promise<unknown>;
}

/** Consumes every queue in the registry, dispatching each job by name to its one handler. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('worker');
  private readonly workers: Worker[] = [];
  private scheduleTimer: NodeJS.Timeout | undefined;
  private ensuringSchedules: Promise<void> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const discovered = this.discover();
    const problems = checkHandlers(discovered.map((d) => d.target));
    if (problems.length) {
      throw new Error(`worker refuses to start: ${problems.join('; ')}`);
    }
    const handlers = new Map(discovered.map((d) => [key(d.target.queue, d.target.name), d.handler]));
    for (const queue of QUEUE_NAMES) {
      const worker = new Worker(
        queue,
        async (job: Job, _token?: string, signal?: AbortSignal) => {
          const handler = handlers.get(key(queue, job.name));
          if (!handler) throw new Error(`no handler for ${queue}/${job.name}`);
          return handler.handle(job, signal);
        },
        {
          connection: { url: this.config.redisUrl, maxRetriesPerRequest: null },
          prefix: this.config.queuePrefix,
          concurrency: QUEUE_CONCURRENCY[queue],
          // A job whose worker died is picked up again after this long without a lock renewal (and one stalled check).
          lockDuration: this.config.jobLockMs,
          stalledInterval: Math.min(30_000, this.config.jobLockMs),
          settings: {
            backoffStrategy: (attemptsMade: number, type?: string) => (type === RETRY_BACKOFF ? retryDelayMs(attemptsMade) : 0),
          },
        },
      );
      worker.on('failed', (job, error) => {
        this.logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed');
      });
      worker.on('error', (error) => this.logger.error({ queue, err: error }, 'worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    if (this.config.schedules) {
      await this.ensureSchedules();
      // Again whenever Redis comes back (it may have come back empty), and every so often in case it was flushed.
      for (const worker of this.workers) {
        void worker.getBackend().client.then((client) => client.on('ready', () => this.ensureSchedulesLogged()));
      }
      this.scheduleTimer = setInterval(() => this.ensureSchedulesLogged(), SCHEDULE_CHECK_MS);
      this.scheduleTimer.unref();
    }
    this.logger.log(`consuming ${QUEUE_NAMES.join(', ')}`);
  }

  /**
   * Takes no new jobs and lets running ones finish within the shutdown budget. Past it, running jobs
   * are asked to stop (handlers check their AbortSignal between steps, each step one transaction) and
   * shutdown goes on; an unfinished job's lock lapses and another worker retries it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.scheduleTimer);
    if (!this.workers.length) return;
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), this.config.shutdownTimeoutMs);
    });
    const outcome = await Promise.race([graceful, expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.logger.warn('running jobs did not finish in time; cancelling them for a retry');
      for (const worker of this.workers) worker.cancelAllJobs('shutdown');
    }
  }

  /** Upserts each recurring job's scheduler that Redis lacks; one check at a time. */
  private ensureSchedules(): Promise<void> {
    this.ensuringSchedules ??= (async () => {
      for (const schedule of QUEUE_SCHEDULES) {
        const queue = this.queues.queue(schedule.queue);
        if (await queue.getJobScheduler(schedule.id)) continue;
        await queue.upsertJobScheduler(
          schedule.id,
          { pattern: schedule.pattern },
          { name: schedule.job, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
        );
        this.logger.log({ scheduler: schedule.id, queue: schedule.queue }, 'job scheduler registered');
      }
    })().finally(() => {
      this.ensuringSchedules = null;
    });
    return this.ensuringSchedules;
  }

  private ensureSchedulesLogged(): void {
    this.ensureSchedules().catch((error: Error) =>
      this.logger.warn({ error: error.message }, 'job schedulers not checked; retrying later'),
    );
  }

  private discover(): { target: JobHandlerTarget; handler: Handler }[] {
    return this.discovery.getProviders().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const target = Reflect.getMetadata(JOB_HANDLER_KEY, metatype) as JobHandlerTarget | undefined;
      return target ? [{ target, handler: instance as Handler }] : [];
    });
  }
}

function key(queue: QueueName, name: string): string {
  return `${queue}\u0000${name}`;
}
