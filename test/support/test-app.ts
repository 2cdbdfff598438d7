import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/app.factory.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../../src/database/database-setup.js';

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
