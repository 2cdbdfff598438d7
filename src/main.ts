import 'reflect-metadata';
import cluster from 'node:cluster';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { runApiCluster } from './api-cluster.js';
import { portFailure, preflight, StartupError } from './preflight.js';
import { ensureDatabase, runMigrations } from './database/database-setup.js';
import { createHttpApp, createWorkerContext } from './app.factory.js';
import { TokensService } from './auth/tokens.service.js';
import { logger } from './common/logging/logger.js';

/**
 * all: API and worker in one process; api (API_PROCESSES of them) / worker: to scale apart; migrate:
 * migrations only; check: can we start?
 */
const MODES = ['all', 'api', 'worker', 'migrate', 'check'] as const;
type Mode = (typeof MODES)[number];

function fail(message: string): never {
  process.stderr.write(`reconnect: ${message}\n`);
  process.exit(1);
}

async function prepareDatabase(config: AppConfig, mode: Mode): Promise<void> {
  await ensureDatabase(config.databaseUrl);
  if (config.migrationsRun || mode === 'migrate') {
    const applied = await runMigrations(config.databaseUrl);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
}

/**
 * SIGTERM/SIGINT: close the app (the HTTP server stops taking requests, workers let running jobs
 * finish within SHUTDOWN_TIMEOUT_MS, connections close) and exit 0. Nest's own shutdown hooks would
 * re-raise the signal after closing, which orchestrators read as a crash.
 */
function exitGracefully(app: INestApplicationContext, config: AppConfig): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // A job that ignores the shutdown budget still holds a database connection; do not wait forever.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 10_000).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(): Promise<void> {
  const mode = (process.argv[2] ?? 'all') as Mode;
  if (!MODES.includes(mode)) fail(`unknown mode "${mode}"; use one of ${MODES.join(', ')}`);

  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  // An API process of a cluster: the process that started it has checked and migrated.
  if (cluster.isWorker) return serveHttp(config, mode);
  try {
    await preflight(config, { http: mode === 'all' || mode === 'api' });
  } catch (error) {
    if (error instanceof StartupError) fail(error.message);
    throw error;
  }
  if (mode === 'check') {
    process.stdout.write('reconnect: configuration valid; PostgreSQL and Redis answer\n');
    return;
  }
  await prepareDatabase(config, mode);
  if (mode === 'migrate') return;

  if (mode === 'worker') {
    const context = await createWorkerContext(config);
    exitGracefully(context, config);
    if (config.bootstrapAdminToken) await context.get(TokensService).ensureBootstrapToken(config.bootstrapAdminToken);
    logger.info({ mode }, 'worker started');
    return;
  }
  if (mode === 'api' && config.apiProcesses > 1) return runApiCluster(config.apiProcesses, config.shutdownTimeoutMs);
  await serveHttp(config, mode);
}

async function serveHttp(config: AppConfig, mode: Mode): Promise<void> {
  const app = await createHttpApp(config, { worker: mode === 'all' });
  exitGracefully(app, config);
  if (config.bootstrapAdminToken) await app.get(TokensService).ensureBootstrapToken(config.bootstrapAdminToken);
  try {
    await app.listen(config.port);
  } catch (error) {
    // Taken since the preflight checked it: still one line, not a stack trace.
    const failure = portFailure(config.port, error);
    if (failure) fail(failure);
    throw error;
  }
  logger.info({ mode, port: config.port }, `listening on http://localhost:${config.port} (API docs at /api/docs)`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'startup failed');
  process.exit(1);
});
