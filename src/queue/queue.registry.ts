/**
 * Every queue and job in the system, with its payload type. Payloads carry ids only: job data sits in
 * Redis in clear text, so student data stays in PostgreSQL.
 */
export interface JobPayloads {
  imports: {
    'import.run': { importId: string };
  };
}

export type QueueName = keyof JobPayloads;
export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];

/** The same names as values, for the boot-time check that each job has exactly one handler. */
export const QUEUE_JOBS: { readonly [Q in QueueName]: readonly JobName<Q>[] } = {
  imports: ['import.run'],
};

/** How many jobs of each queue one worker process runs at once. */
export const QUEUE_CONCURRENCY: { readonly [Q in QueueName]: number } = {
  imports: 1,
};

export const QUEUE_NAMES = Object.keys(QUEUE_JOBS) as QueueName[];
