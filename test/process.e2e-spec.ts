import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { dropDatabase } from '../src/database/database-setup.js';
import { MIGRATIONS } from '../migrations/index.js';
import { deleteQueueKeys, testConfig } from './support/test-app.js';

/** The built service, run as operators run it. `npm test` builds before it runs the tests. */
const MAIN = 'dist/src/main.js';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit>; stdout: () => string } {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
  return { child, exited, stdout: () => stdout };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits (bounded) until the condition holds. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the started process to answer; bounded, and fails at once if the process died. */
async function waitReady(port: number, proc: { exited: Promise<Exit> }): Promise<void> {
  let dead: Exit | null = null;
  void proc.exited.then((exit) => (dead = exit));
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`process exited early: ${JSON.stringify(dead)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('service did not become ready');
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
});

describe('start-up checks', () => {
  it('stops in seconds with one line naming PostgreSQL, its URL and how to start it', async () => {
    const { exited } = run(['all'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/reconnect' });
    const exit = await exited;
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(15_000);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reconnect: PostgreSQL is not reachable at postgres:\/\/postgres@127\.0\.0\.1:1\/reconnect .*pg_ctlcluster/);
  });

  it('stops in seconds with one line naming Redis', async () => {
    const { exited } = run(['check'], { REDIS_URL: 'redis://127.0.0.1:1' });
    const exit = await exited;
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(15_000);
    expect(exit.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^reconnect: Redis is not reachable at redis:\/\/127\.0\.0\.1:1 .*redis-server/),
    ]);
  });

  it('stops with one line naming the port when the port is taken', async () => {
    // Held on every interface, as the service listens.
    const holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, () => resolve((holder.address() as { port: number }).port)));
    try {
      const exit = await run(['all'], { PORT: String(port) }).exited;
      expect(exit.code).not.toBe(0);
      const lines = `${exit.stdout}${exit.stderr}`.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^reconnect: Port ${port} is already in use \\(EADDRINUSE\\)\\. .*set PORT\\.$`)),
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('names a bad variable', async () => {
    const exit = await run(['check'], { PORT: 'eighty' }).exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr.trim()).toBe('reconnect: configuration error: PORT: must be a whole number from 0 to 65535, got "eighty"');
  });
});

describe('processes', () => {
  const config = testConfig();
  const env = { DATABASE_URL: config.databaseUrl, QUEUE_PREFIX: config.queuePrefix, SHUTDOWN_TIMEOUT_MS: '5000' };

  afterAll(async () => {
    await dropDatabase(config.databaseUrl);
    await deleteQueueKeys(config);
  });

  it('migrates safely when two instances start at once, creating the database', async () => {
    const exits = await Promise.all([1, 2, 3].map(() => run(['migrate'], env).exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    const client = new Client({ connectionString: config.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
    await client.end();
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
  });

  it('serves the API with the bootstrap token, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const secret = 'process-test-bootstrap-token-0123456789';
    const proc = run(['all'], { ...env, PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: secret });
    await waitReady(port, proc);
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/tokens/me`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'state_admin', districtId: null });
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect(exit.code).toBe(0);
    // Every log line is one JSON object.
    for (const line of exit.stdout.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('serves the API from API_PROCESSES processes on one port; SIGTERM stops them all, and one dying stops the rest', async () => {
    const secret = 'process-test-bootstrap-token-0123456789';
    const apiProcesses = (pid: number): number[] =>
      readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // A new connection a request: connections are handed to the API processes in turn.
    const me = (port: number): Promise<number> =>
      new Promise((resolve, reject) => {
        get({ port, host: '127.0.0.1', path: '/api/v1/tokens/me', agent: false, headers: { Authorization: `Bearer ${secret}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        }).on('error', reject);
      });
    const start = async () => {
      const port = await freePort();
      const proc = run(['api'], { ...env, PORT: String(port), API_PROCESSES: '2', BOOTSTRAP_ADMIN_TOKEN: secret });
      await waitReady(port, proc);
      // The first to listen answers readiness; connections go to those listening, so wait for both.
      await waitFor(() => proc.stdout().includes('2 API processes serving'));
      return { port, proc, pids: apiProcesses(proc.child.pid!) };
    };

    const first = await start();
    expect(first.pids).toHaveLength(2);
    expect(await Promise.all([1, 2, 3, 4].map(() => me(first.port)))).toEqual([200, 200, 200, 200]);
    first.proc.child.kill('SIGTERM');
    const stopped = await first.proc.exited;
    expect(stopped.code).toBe(0);
    // Both answered (each logs its requests with its pid), and both are gone.
    const servedBy = new Set(
      stopped.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { pid: number; req?: { path: string } })
        .filter((entry) => entry.req?.path === '/api/v1/tokens/me')
        .map((entry) => entry.pid),
    );
    expect([...servedBy].sort()).toEqual([...first.pids].sort());
    expect(first.pids.filter(alive)).toEqual([]);

    const second = await start();
    process.kill(second.pids[0]!, 'SIGKILL');
    expect((await second.proc.exited).code).toBe(1);
    expect(second.pids.filter(alive)).toEqual([]);
  });

  it('runs a worker-only process that exits 0 on SIGTERM', async () => {
    const proc = run(['worker'], env);
    await new Promise<void>((resolve, reject) => {
      proc.child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker started')) resolve();
      });
      void proc.exited.then((exit) => reject(new Error(`worker exited: ${JSON.stringify(exit)}`)));
    });
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });
});
