import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/app.factory.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../../src/database/database-setup.js';
import { QueueService } from '../../src/queue/queue.service.js';
import type { QueueName } from '../../src/queue/queue.registry.js';

const BASE_URL = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database and a queue prefix of the test file's own, migrated like production, dropped after. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(BASE_URL);
  url.pathname = `/reconnect_test_${id}`;
  return loadConfig({
    ...process.env,
    DATABASE_URL: url.toString(),
    QUEUE_PREFIX: `rct_test_${id}`,
    SHUTDOWN_TIMEOUT_MS: '5000',
    // A scheduled scan at minute 5 of an hour would otherwise scan the test's districts as of today.
    SCHEDULES: 'false',
    // Test files make thousands of requests a minute from one address; the rate-limit test sets its own.
    RATE_LIMIT_PER_ADDRESS: '1000000',
    RATE_LIMIT_PER_TOKEN: '1000000',
    API_DOCS: 'true',
    ...overrides,
  });
}

export async function prepareTestDatabase(config: AppConfig): Promise<void> {
  await ensureDatabase(config.databaseUrl);
  await runMigrations(config.databaseUrl);
}

export async function deleteQueueKeys(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: DataSource;
  /** A state admin bearer token. */
  adminToken: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startTestApp(options: { worker?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const config = testConfig(options.env);
  await prepareTestDatabase(config);
  const app = await createHttpApp(config, { worker: options.worker ?? false });
  const adminToken = `test-admin-${randomBytes(16).toString('hex')}`;
  await app.get(TokensService).ensureBootstrapToken(adminToken);
  return {
    app,
    config,
    db: app.get(DataSource),
    adminToken,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await dropDatabase(config.databaseUrl);
      await deleteQueueKeys(config);
    },
  };
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

/** A token of the given role, made through the API by the state admin. */
export async function tokenFor(t: TestApp, role: string, districtId: string | null): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/tokens')
    .set(...bearer(t.adminToken))
    .send({ name: `${role} token`, role, ...(districtId ? { districtId } : {}) });
  if (res.status !== 201) throw new Error(`could not create a ${role} token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret as string;
}

/** Creates a staff account (as the bootstrap state admin unless a token is given) and returns its id. */
export async function createStaffUser(t: TestApp, body: Record<string, unknown>, token = t.adminToken): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/staff')
    .set(...bearer(token))
    .send(body);
  if (res.status !== 201) throw new Error(`could not create a staff user: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Polls a status URL until it leaves queued/running; bounded, so a stuck job fails the test. */
export async function waitForStatus(t: TestApp, url: string, token: string, timeoutMs = 20000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t
      .http()
      .get(url)
      .set(...bearer(token));
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (!['queued', 'running'].includes(res.body.status as string)) return res.body as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`${url} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for a queued job to finish (BullMQ's own completion event) and returns its result; throws if it failed. */
export async function waitForJob(t: TestApp, queue: QueueName, jobId: string, timeoutMs = 30000): Promise<unknown> {
  const events = new QueueEvents(queue, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  try {
    await events.waitUntilReady();
    const job = await t.app.get(QueueService).queue(queue).getJob(jobId);
    if (!job) throw new Error(`no job ${jobId} in ${queue}`);
    return await job.waitUntilFinished(events, timeoutMs);
  } finally {
    await events.close();
  }
}
