import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { QueueService } from '../queue/queue.service.js';
import { DEFAULT_SCHEDULES, type ConnectorKind, type ConnectorSettings } from './connector.domain.js';

const schedulerId = (connectorId: string): string => `connector:${connectorId}`;

/** The connector's schedule: its own, or its kind's default. */
export const scheduleOf = (kind: ConnectorKind, settings: ConnectorSettings): string => settings.schedule ?? DEFAULT_SCHEDULES[kind];

/**
 * Each active connector's BullMQ job scheduler, in its district's time zone. Nothing is registered
 * when SCHEDULES is off (tests run connectors by hand); the reconcile job puts back what Redis lost.
 */
@Injectable()
export class ConnectorSchedules {
  private readonly logger = new Logger('connectors');

  constructor(
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers (or changes) the connector's scheduler unless it is there as it should be. Redis not
   * answering is logged, not thrown: the change is committed, and the reconcile job registers it later.
   */
  async ensure(connector: { id: string; kind: ConnectorKind; settings: ConnectorSettings; timeZone: string }): Promise<void> {
    if (!this.config.schedules) return;
    try {
      const queue = this.queues.queue('connectors');
      const pattern = scheduleOf(connector.kind, connector.settings);
      const existing = await queue.getJobScheduler(schedulerId(connector.id));
      if (existing && existing.pattern === pattern && existing.tz === connector.timeZone) return;
      await queue.upsertJobScheduler(
        schedulerId(connector.id),
        { pattern, tz: connector.timeZone },
        { name: 'connector.tick', data: { connectorId: connector.id }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
      this.logger.log({ connectorId: connector.id, pattern }, 'connector scheduler registered');
    } catch (error) {
      this.logger.warn({ connectorId: connector.id, err: error }, 'connector scheduler not registered; the reconcile job retries');
    }
  }

  /** Removes a stopped connector's scheduler; a tick that still comes finds the connector stopped and does nothing. */
  async remove(connectorId: string): Promise<void> {
    if (!this.config.schedules) return;
    try {
      await this.queues.queue('connectors').removeJobScheduler(schedulerId(connectorId));
    } catch (error) {
      this.logger.warn({ connectorId, err: error }, 'connector scheduler not removed');
    }
  }

  /** When the scheduler next starts a run; null without one (or while Redis does not answer). */
  async nextRun(connectorId: string): Promise<Date | null> {
    if (!this.config.schedules) return null;
    try {
      const scheduler = await this.queues.queue('connectors').getJobScheduler(schedulerId(connectorId));
      return scheduler?.next ? new Date(scheduler.next) : null;
    } catch {
      return null;
    }
  }
}
