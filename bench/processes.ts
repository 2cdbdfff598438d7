import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { peakRssMb, processSeconds } from './proc.js';

/** The repository: npm runs the scripts from there. */
export const ROOT = process.cwd();

/** The compiled entry points the benchmark starts. */
export interface Build {
  main: string;
  importChild: string;
  pgProfileHook: string;
  /** For children run from a copy outside the repository: where their packages are. */
  env: NodeJS.ProcessEnv;
}

/**
 * A private copy of dist/ for the children of a long run: a build started meanwhile (another
 * `npm test` in the same tree) empties dist/ and would make a child fail to start.
 */
export function snapshotBuild(into: string): Build {
  const dist = join(into, 'dist');
  // The benchmark's own build, the one this code was loaded from (dist-bench/bench/processes.js → dist-bench);
  // read here, not when the module loads, so tests (ES modules, no __dirname) can import this file's helpers.
  cpSync(join(__dirname, '..'), dist, { recursive: true });
  return {
    main: join(dist, 'src', 'main.js'),
    importChild: join(dist, 'bench', 'import-child.js'),
    pgProfileHook: join(dist, 'bench', 'pg-profile.js'),
    env: { NODE_PATH: join(ROOT, 'node_modules') },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value, or fails naming `what` after timeoutMs. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** A product process (node dist/src/main.js MODE) with its output in a log file. */
export class ServiceProcess {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(
    name: string,
    build: Build,
    mode: 'api' | 'worker' | 'all',
    env: NodeJS.ProcessEnv,
    logFile: string,
    nodeArgs: string[] = [],
  ): ServiceProcess {
    const log = openSync(logFile, 'a');
    const child = spawn(process.execPath, [...nodeArgs, build.main, mode], {
      cwd: ROOT,
      env: { ...env, ...build.env },
      stdio: ['ignore', log, log],
    });
    return new ServiceProcess(name, child, logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (the product's graceful shutdown), then SIGKILL if it has not exited in time. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface NodeRun {
  stdout: string;
  pid: number | undefined;
  /** Stopped at the time budget rather than ended by itself. */
  timedOut: boolean;
  /** For a stopped process, read from /proc just before it was stopped (null elsewhere). */
  peakRssMb: number | null;
  cpuSeconds: number | null;
}

/**
 * Runs a node script to its end, or stops it (beforeStop, then SIGKILL) once the budget has passed;
 * resolves with its stdout, rejects naming the log when it fails by itself.
 */
export async function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  budget: { ms: number; beforeStop: (pid: number | undefined) => Promise<unknown> } | null = null,
): Promise<NodeRun> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', log] });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  let stopped: { peakRssMb: number | null; cpuSeconds: number | null } | null = null;
  const timer = budget
    ? setTimeout(() => {
        stopped = child.pid
          ? { peakRssMb: peakRssMb(child.pid), cpuSeconds: processSeconds(child.pid) }
          : { peakRssMb: null, cpuSeconds: null };
        const stop = (): void => {
          child.kill('SIGKILL');
        };
        budget.beforeStop(child.pid).then(stop, stop);
      }, budget.ms)
    : undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  const stdout = Buffer.concat(chunks).toString('utf8');
  const halted = stopped as { peakRssMb: number | null; cpuSeconds: number | null } | null;
  if (halted) return { stdout, pid: child.pid, timedOut: true, ...halted };
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}; see ${logFile}`);
  return { stdout, pid: child.pid, timedOut: false, peakRssMb: null, cpuSeconds: null };
}

/** Runs items with at most `limit` at once, keeping their order in the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
