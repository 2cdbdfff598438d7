import { Redis } from 'ioredis';
import { redact, type AppConfig } from './app-config.js';
import { withMaintenanceClient } from '../database/database-setup.js';

const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

/** A server we need did not answer; the message is the one line an operator needs. */
export class UnreachableError extends Error {}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message ?? String(error);
}

export async function checkPostgres(config: Pick<AppConfig, 'databaseUrl'>): Promise<void> {
  try {
    await withMaintenanceClient(config.databaseUrl, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw new UnreachableError(
      `PostgreSQL is not reachable at ${redact(config.databaseUrl)} (${reason(error)}). ` +
        `Start it (on Debian: ${PG_START}) or set DATABASE_URL.`,
    );
  }
}

export async function checkRedis(config: Pick<AppConfig, 'redisUrl'>): Promise<void> {
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new UnreachableError(
      `Redis is not reachable at ${redact(config.redisUrl)} (${reason(error)}). ` +
        `Start it (${REDIS_START}) or set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Both servers, checked together so the operator learns of every missing one at once. */
export async function preflight(config: AppConfig): Promise<void> {
  const results = await Promise.allSettled([checkPostgres(config), checkRedis(config)]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) throw new UnreachableError(failures.join('\n'));
}
