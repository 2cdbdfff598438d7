/**
 * Every queue and job in the system, with its payload type. Payloads carry ids only: job data sits in
 * Redis in clear text, so student data stays in PostgreSQL.
 */
export interface JobPayloads {
  imports: {
    'import.run': { importId: string };
    /** Re-queues imports whose job Redis lost or BullMQ gave up on. */
    'import.reconcile': Record<string, never>;
  };
  'gap-scans': {
    'gap-scan.run': { scanId: string };
    /** Hourly: asks for each district's daily scan once its school day has begun. */
    'gap-scan.schedule': Record<string, never>;
  };
  maintenance: {
    /** Hourly: deletes Idempotency-Key records past their lifetime. */
    'idempotency.cleanup': Record<string, never>;
    /** Daily: creates login_events' partitions ahead of time and drops those past every district's retention. */
    'login-events.partitions': Record<string, never>;
  };
  connectors: {
    /** Runs (or resumes) one connector run to its end. */
    'connector.run': { runId: string };
    /** A connector's own job scheduler: starts a run unless one is queued or running. */
    'connector.tick': { connectorId: string };
    /** Every few minutes: each active connector has its scheduler, each open run its job. */
    'connector.reconcile': Record<string, never>;
    /** Delivers one write-back to Google Admin (the outbox row says what). */
    'connector.write-back': { writeBackId: string };
  };
}

export type QueueName = keyof JobPayloads;
export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];

/** The same names as values, for the boot-time check that each job has exactly one handler. */
export const QUEUE_JOBS: { readonly [Q in QueueName]: readonly JobName<Q>[] } = {
  imports: ['import.run', 'import.reconcile'],
  'gap-scans': ['gap-scan.run', 'gap-scan.schedule'],
  maintenance: ['idempotency.cleanup', 'login-events.partitions'],
  connectors: ['connector.run', 'connector.tick', 'connector.reconcile', 'connector.write-back'],
};

/** How many jobs of each queue one worker process runs at once. */
export const QUEUE_CONCURRENCY: { readonly [Q in QueueName]: number } = {
  // Two districts' imports side by side: a state's many small rosters are each a batch or two, applied
  // one after another, which leaves a core idle. One district's imports queue on an advisory lock.
  imports: 2,
  // Scans of different districts may run side by side; one district's scans queue on an advisory lock.
  'gap-scans': 2,
  maintenance: 1,
  // Different connectors side by side; one connector's runs never overlap (one open run, and a lock).
  connectors: 2,
};

export const QUEUE_NAMES = Object.keys(QUEUE_JOBS) as QueueName[];

/** Recurring jobs (BullMQ job schedulers), upserted by every worker at start; Redis keeps one of each. */
type Schedule = { [Q in QueueName]: { id: string; queue: Q; job: JobName<Q>; pattern: string } }[QueueName];

export const QUEUE_SCHEDULES: readonly Schedule[] = [
  // Hourly, so each district's daily scan starts soon after its own 6 a.m. (see GapScansService).
  { id: 'gap-scan-schedule', queue: 'gap-scans', job: 'gap-scan.schedule', pattern: '5 * * * *' },
  // Every minute: an import whose job died or gave up is re-queued (it resumes after its last batch).
  { id: 'import-reconcile', queue: 'imports', job: 'import.reconcile', pattern: '* * * * *' },
  { id: 'idempotency-cleanup', queue: 'maintenance', job: 'idempotency.cleanup', pattern: '17 * * * *' },
  { id: 'connector-reconcile', queue: 'connectors', job: 'connector.reconcile', pattern: '*/5 * * * *' },
  // Daily, at a quiet hour (UTC): partitions exist 13 weeks ahead, so a missed day costs nothing.
  { id: 'login-event-partitions', queue: 'maintenance', job: 'login-events.partitions', pattern: '41 7 * * *' },
];

/**
 * Delays before each retry of a failed job, in order; a job gets one attempt more than there are delays.
 * The first retry is quick (a passing hiccup); the rest stretch over about 40 minutes, so an outage of
 * PostgreSQL or Redis does not use up a job's attempts in seconds.
 */
export const RETRY_DELAYS_MS: readonly number[] = [2_000, 30_000, 120_000, 300_000, 600_000, 1_200_000];

/** The backoff type naming RETRY_DELAYS_MS in a job's options; the worker's backoffStrategy reads it. */
export const RETRY_BACKOFF = 'reconnect-retry';

/** Delay before the retry that follows `attemptsMade` failed attempts. */
export function retryDelayMs(attemptsMade: number): number {
  return RETRY_DELAYS_MS[Math.min(Math.max(attemptsMade, 1), RETRY_DELAYS_MS.length) - 1];
}
