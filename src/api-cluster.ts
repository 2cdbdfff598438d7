import cluster from 'node:cluster';
import { logger } from './common/logging/logger.js';

/**
 * `api` mode with API_PROCESSES above 1: this process has checked and migrated; it now starts that many
 * API processes (this script again, as cluster workers), which share its port: Node's cluster hands the
 * connections out in turn. It serves nothing itself.
 *
 * One dies of itself: the others are stopped and this process exits 1, for the supervisor to restart the
 * whole, as it would a single process. SIGTERM or SIGINT: each API process shuts down gracefully (its own
 * handler, SHUTDOWN_TIMEOUT_MS), then this one exits, 0 if they all did. If this process is killed
 * outright, Node ends its workers at once.
 */
export function runApiCluster(processes: number, shutdownTimeoutMs: number): void {
  let stopping = false;
  let failed = false;
  let running = 0;
  let listening = 0;
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    // SIGTERM whatever this process got: a terminal's Ctrl-C has already sent SIGINT to every process of
    // the group, and a second SIGINT would end an API process that is still shutting down.
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('API processes did not stop in time; exiting');
      process.exit(1);
    }, shutdownTimeoutMs + 20_000).unref();
  };

  cluster.on('listening', (worker) => {
    listening += 1;
    if (listening === processes) logger.info({ processes }, `${processes} API processes serving`);
    logger.debug({ pid: worker.process.pid }, 'API process listening');
  });
  cluster.on('exit', (worker, code, signal) => {
    running -= 1;
    if (!stopping) {
      failed = true;
      logger.error({ pid: worker.process.pid, code, signal }, 'an API process exited; stopping the others');
      stopAll();
    } else if (code !== 0) {
      failed = true;
    }
    if (running === 0) process.exit(failed ? 1 : 0);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      stopAll();
    });
  }
  for (let i = 0; i < processes; i += 1) {
    cluster.fork();
    running += 1;
  }
}
