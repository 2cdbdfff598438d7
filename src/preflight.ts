import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { redact, type AppConfig } from './config/app-config.js';
import { withMaintenanceClient } from './database/database-setup.js';

const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

/** The process cannot start (a server we need does not answer, the port is taken); the message is the one line an operator needs. */
export class StartupError extends Error {}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message ?? String(error);
}

export async function checkPostgres(config: Pick<AppConfig, 'databaseUrl'>): Promise<void> {
  try {
    await withMaintenanceClient(config.databaseUrl, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw new StartupError(
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
    throw new StartupError(
      `Redis is not reachable at ${redact(config.redisUrl)} (${reason(error)}). ` + `Start it (${REDIS_START}) or set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Why the HTTP server cannot listen on the port, in one line; null for a failure that is not about the port. */
export function portFailure(port: number, error: unknown): string | null {
  switch ((error as { code?: string }).code) {
    case 'EADDRINUSE':
      return `Port ${port} is already in use (EADDRINUSE). Stop what listens on it (ss -ltnp 'sport = :${port}') or set PORT.`;
    case 'EACCES':
      return `Port ${port} needs privileges this process does not have (EACCES). Use a port above 1023 or set PORT.`;
    default:
      return null;
  }
}

/**
 * Binds the port as the HTTP server will (every interface) and lets it go at once, so a taken port
 * stops the process before it migrates or takes queued jobs. Another process can still take the port
 * in between; main.ts reports that the same way.
 */
export async function checkPort(port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, resolve);
    });
  } catch (error) {
    throw new StartupError(portFailure(port, error) ?? `Cannot listen on port ${port} (${reason(error)}). Set PORT.`);
  }
  await new Promise((resolve) => server.close(resolve));
}

/** Everything a start needs, checked together so the operator learns of every problem at once. */
export async function preflight(config: AppConfig, options: { http: boolean }): Promise<void> {
  const checks = [checkPostgres(config), checkRedis(config), ...(options.http ? [checkPort(config.port)] : [])];
  const results = await Promise.allSettled(checks);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) throw new StartupError(failures.join('\n'));
}
