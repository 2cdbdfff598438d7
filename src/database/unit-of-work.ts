import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { QueueService, type PendingJob } from '../queue/queue.service.js';
import { AuditSink, type AuditEntry } from './audit-sink.js';

/**
 * Longest a request waits, after its commit, for Redis to take its jobs. Longer than the import
 * command's own connection limit (about 6 s), so that the command still learns its add failed.
 */
const ADD_AFTER_COMMIT_WAIT_MS = 10_000;

/** One transaction: its writes, the audit events they owe, and the jobs to add once it commits. */
export class Tx {
  readonly jobs: PendingJob[] = [];
  private readonly audits: AuditEntry[] = [];

  constructor(
    readonly em: EntityManager,
    readonly actor: Actor,
  ) {}

  /** The request the transaction serves, for audit rows written by hand; null for the system's own work. */
  get requestId(): string | null {
    return this.actor.requestId ?? null;
  }

  audit(...entries: AuditEntry[]): void {
    this.audits.push(...entries);
  }

  /** Whether entries wait to be written at the end of the transaction. */
  hasAudits(): boolean {
    return this.audits.length > 0;
  }

  enqueue(job: PendingJob): void {
    this.jobs.push(job);
  }

  takeAudits(): AuditEntry[] {
    return this.audits.splice(0);
  }
}

@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger('unit-of-work');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditSink,
    private readonly queues: QueueService,
  ) {}

  /**
   * Runs `fn` in a transaction, writes its audit events inside that same transaction, and adds its
   * jobs only after COMMIT, so a worker never sees a job for rows it cannot read yet, and a rolled
   * back request leaves no job behind.
   */
  async run<T>(actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T> {
    let pending: PendingJob[] = [];
    const result = await this.db.transaction(async (em) => {
      const tx = new Tx(em, actor);
      const value = await fn(tx);
      await this.audit.write(em, actor, tx.requestId, tx.takeAudits());
      pending = tx.jobs;
      return value;
    });
    if (pending.length) {
      // The rows are committed and say "queued"; if Redis is down the reconcilers (import.reconcile,
      // gap-scan.schedule) re-queue them from PostgreSQL. So the caller waits a bounded time: BullMQ
      // itself would hold the add until Redis is back. An add that lands later is harmless, as the
      // jobs are keyed by their record.
      const jobs = pending.map((j) => `${j.queue}/${j.name}`);
      const added = this.queues.add(pending).then(
        () => true,
        (error: unknown) => {
          this.logger.error({ err: error, jobs }, 'could not add jobs after commit');
          return true;
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), ADD_AFTER_COMMIT_WAIT_MS);
      });
      if (!(await Promise.race([added, waited])))
        this.logger.error({ jobs }, 'Redis did not take the jobs in time; the reconcilers will queue them');
      clearTimeout(timer);
    }
    return result;
  }
}
