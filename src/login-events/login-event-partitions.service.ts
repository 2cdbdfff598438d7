import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { LoginEventPartitionsRepository } from './login-event-partitions.repository.js';

/** Weeks after the current one whose partition exists ahead of time (about three months). */
export const PARTITION_WEEKS_AHEAD = 13;

/** Rows one transaction deletes of a district with a shorter retention than others. */
export const EXPIRY_BATCH_ROWS = 50_000;
/** Batches one run deletes per district; the rest waits for the next run (a day's expiry is far less). */
export const EXPIRY_BATCHES_PER_RUN = 40;

export interface PartitionMaintenance {
  /** Weeks (Mondays) whose partition was created, ahead of time or out of the default partition. */
  created: string[];
  /** Partitions dropped, past every district's retention. */
  dropped: string[];
  /** Events deleted of districts keeping less than another, by district id (only those with any). */
  expired: Record<string, number>;
}

/**
 * Keeps login_events' weekly partitions: one for each week ahead of time, and retention by dropping
 * whole partitions (weeks, or months made before weeks) that every district is past (README
 * "Login-event retention").
 */
@Injectable()
export class LoginEventPartitionsService {
  private readonly logger = new Logger('login-event-partitions');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partitions: LoginEventPartitionsRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async maintain(): Promise<PartitionMaintenance> {
    const at = this.clock.now();
    // Weeks first, so that expired events the default partition held land in a partition dropped below.
    const created = await this.db.transaction((em) => this.partitions.ensure(em, at, PARTITION_WEEKS_AHEAD));
    const dropped: string[] = [];
    // One transaction a partition: each drop commits with its audit row, and a drop that times out on
    // its lock leaves the ones before it done.
    for (const partition of await this.partitions.expired(this.db.manager, at)) {
      await this.uow.run({ tokenId: null, name: SYSTEM_ACTOR }, async (tx) => {
        await this.partitions.drop(tx.em, partition.name);
        tx.audit({
          districtId: null,
          entityType: 'login_events_partition',
          entityId: partition.name,
          action: 'drop',
          before: { from: partition.from.toISOString(), to: partition.to.toISOString(), approximateRows: partition.approximateRows },
        });
      });
      dropped.push(partition.name);
    }
    const expired = await this.expireShorterRetentions(at);
    if (created.length || dropped.length || Object.keys(expired).length)
      this.logger.log({ created, dropped, expired }, 'login-event partitions maintained');
    return { created, dropped, expired };
  }

  /**
   * A partition holds every district's events of its week (or month), so it goes only once the longest retention is
   * past it. A district keeping less has its older events deleted meanwhile: in bounded batches, one
   * transaction and one audit row each, so no statement grows with the district.
   */
  private async expireShorterRetentions(at: Date): Promise<Record<string, number>> {
    const expired: Record<string, number> = {};
    for (const { districtId, since } of await this.partitions.shorterRetention(this.db.manager, at)) {
      for (let batch = 0; batch < EXPIRY_BATCHES_PER_RUN; batch++) {
        const deleted = await this.uow.run({ tokenId: null, name: SYSTEM_ACTOR }, async (tx) => {
          const count = await this.partitions.deleteBefore(tx.em, districtId, since, EXPIRY_BATCH_ROWS);
          if (count)
            tx.audit({
              districtId,
              entityType: 'login_events',
              entityId: districtId,
              action: 'expire',
              before: { occurredBefore: since.toISOString(), events: count },
            });
          return count;
        });
        if (deleted) expired[districtId] = (expired[districtId] ?? 0) + deleted;
        if (deleted < EXPIRY_BATCH_ROWS) break;
      }
    }
    return expired;
  }
}
