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
  };
}

export type QueueName = keyof JobPayloads;
export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];

/** The same names as values, for the boot-time check that each job has exactly one handler. */
export const QUEUE_JOBS: { readonly [Q in QueueName]: readonly JobName<Q>[] } = {
  imports: ['import.run', 'import.reconcile'],
  'gap-scans': ['gap-scan.run', 'gap-scan.schedule'],
  maintenance: ['idempotency.cleanup'],
};

/** How many jobs of each queue one worker process runs at once. */
export const QUEUE_CONCURRENCY: { readonly [Q in QueueName]: number } = {
  imports: 1,
  // Scans of different districts may run side by side; one district's scans queue on an advisory lock.
  'gap-scans': 2,
  maintenance: 1,
};

export const QUEUE_NAMES = Object.keys(QUEUE_JOBS) as QueueName[];

/** Recurring jobs (BullMQ job schedulers), upserted by every worker at start; Redis keeps one of each. */
type Schedule = { [Q in QueueName]: { id: string; queue: Q; job: JobName<Q>; pattern: string } }[QueueName];

export const QUEUE_SCHEDULES: readonly Schedule[] = [
  // Hourly, so each district's daily scan starts soon after its own 6 a.m. (see GapScansService).
  { id: 'gap-scan-schedule', queue: 'gap-scans', job: 'gap-scan.schedule', pattern: '5 * * * *' },
  { id: 'import-reconcile', queue: 'imports', job: 'import.reconcile', pattern: '*/10 * * * *' },
  { id: 'idempotency-cleanup', queue: 'maintenance', job: 'idempotency.cleanup', pattern: '17 * * * *' },
];
