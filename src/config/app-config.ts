import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Typed configuration, read once from the environment and validated before anything connects. */
export interface ZipLimits {
  maxExpandedBytes: number;
  maxEntries: number;
}

export interface AppConfig {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  /**
   * Processes that serve the API in `api` mode, sharing the port. Node runs a process's JavaScript on one
   * core; at hundreds of list pages a second one process's queue made the slowest answers (issue #20).
   */
  apiProcesses: number;
  bootstrapAdminToken: string | null;
  queuePrefix: string;
  migrationsRun: boolean;
  /** Whether a worker registers the recurring jobs (daily scans, reconcilers); off for tests that drive them by hand. */
  schedules: boolean;
  jsonBodyLimitBytes: number;
  uploadLimitBytes: number;
  shutdownTimeoutMs: number;
  /** How long a job's lock outlives its worker: after it, the job counts as stalled and runs again. */
  jobLockMs: number;
  /** Where uploaded import files wait for the worker: a directory the API and the workers share. */
  importDir: string;
  /** Rows per import batch: one COPY and one transaction each. */
  importBatchRows: number;
  /**
   * Batches one import applies at once, each in a transaction (and a PostgreSQL backend, so a core) of
   * its own; they still commit in file order. Fewer leave more of the database server to the API.
   */
  importApplyConcurrency: number;
  /**
   * Other transactions a second (the API's requests) above which an import applies one batch at a time
   * whatever importApplyConcurrency says, leaving the rest of the server to them; 0: never.
   */
  importYieldCommitsPerSecond: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** The service's public origin (and path, if any), without a trailing slash; null: taken from each request. */
  publicUrl: string | null;
  /** A zip upload is refused when its members would expand beyond this, or when it holds more members. */
  zipLimits: ZipLimits;
  /** Origins a browser may call the API from (CORS); empty: none but our own pages. */
  corsOrigins: string[];
  /** Whether /api/docs and /api/docs-json are served (they describe every route to anyone who asks). */
  apiDocs: boolean;
  /** The built staff console (vite's output) served at /; missing: the console routes answer 404 naming the build step. */
  webDir: string;
  /** 32 bytes that encrypt identity-provider secrets and sign-in state; null: OIDC sign-in cannot be set up. */
  secretsKey: Buffer | null;
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** Whether API tokens may open a browser session (`POST /api/v1/sessions`). */
  tokenSignIn: boolean;
  /** Failed sign-ins or token attempts from one address before it is refused for signInLockMs. */
  signInMaxFailures: number;
  signInLockMs: number;
  /** Requests one address, and one token or staff user, may make per rate window before 429. */
  rateLimitPerAddress: number;
  rateLimitPerPrincipal: number;
  rateLimitWindowMs: number;
  /** Accept http:// identity providers (a provider on localhost in tests); never in production. */
  oidcAllowHttp: boolean;
  /** Accept http:// connector endpoints (fake servers on localhost in tests); never in production. */
  connectorAllowHttp: boolean;
  /** How a connector retries a request answered 429 or 5xx: tries in all, first backoff, longest wait. */
  connectorRetry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = read(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `"${redact(value)}" is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function size(env: Env, name: string, fallback: string): number {
  const value = (read(env, name) ?? fallback).toLowerCase();
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/.exec(value);
  if (!match) throw new ConfigError(name, `must be a size such as 10mb, got "${value}"`);
  return Number(match[1]) * (SIZE_UNITS[match[2] ?? ''] ?? 1);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

function absolutePath(env: Env, name: string, fallback: string): string {
  const value = read(env, name) ?? fallback;
  if (!isAbsolute(value)) throw new ConfigError(name, `must be an absolute path, got "${value}"`);
  return value;
}

function secretsKey(env: Env): Buffer | null {
  const value = read(env, 'SECRETS_KEY');
  if (value === undefined) return null;
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new ConfigError('SECRETS_KEY', 'must be 32 random bytes in base64 (openssl rand -base64 32)');
  return key;
}

function publicUrl(env: Env): string | null {
  if (read(env, 'PUBLIC_URL') === undefined) return null;
  const value = url(env, 'PUBLIC_URL', '', ['http:', 'https:']);
  const parsed = new URL(value);
  if (parsed.search || parsed.hash || parsed.username) throw new ConfigError('PUBLIC_URL', 'must be an origin and path only');
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

function origins(env: Env, name: string): string[] {
  const value = read(env, name);
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((item) => {
    const origin = item.trim();
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(name, `"${origin}" is not an origin (e.g. https://console.example.org)`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(name, `"${origin}" is not an origin (e.g. https://console.example.org)`);
    }
    return parsed.origin;
  });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export function loadConfig(env: Env = process.env): AppConfig {
  const bootstrapAdminToken = read(env, 'BOOTSTRAP_ADMIN_TOKEN') ?? null;
  if (bootstrapAdminToken !== null && bootstrapAdminToken.length < 20) {
    throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN', 'must be at least 20 characters long');
  }
  const queuePrefix = read(env, 'QUEUE_PREFIX') ?? 'reconnect';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX', 'may hold only letters, digits, "_", "." and "-" (at most 64)');
  }
  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/reconnect', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    port: integer(env, 'PORT', 3000, 0, 65535),
    // One a core, at most 4 (each holds a pool of 10 PostgreSQL connections).
    apiProcesses: integer(env, 'API_PROCESSES', Math.min(availableParallelism(), 4), 1, 32),
    bootstrapAdminToken,
    queuePrefix,
    migrationsRun: boolean(env, 'MIGRATIONS_RUN', true),
    schedules: boolean(env, 'SCHEDULES', true),
    jsonBodyLimitBytes: size(env, 'JSON_BODY_LIMIT', '10mb'),
    uploadLimitBytes: size(env, 'UPLOAD_LIMIT', '2gb'),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 30000, 0, 3_600_000),
    jobLockMs: integer(env, 'JOB_LOCK_MS', 60000, 2000, 600_000),
    importDir: absolutePath(env, 'IMPORT_DIR', join(tmpdir(), 'reconnect-imports')),
    importBatchRows: integer(env, 'IMPORT_BATCH_ROWS', 20000, 100, 100_000),
    importApplyConcurrency: integer(env, 'IMPORT_APPLY_CONCURRENCY', 2, 1, 8),
    importYieldCommitsPerSecond: integer(env, 'IMPORT_YIELD_COMMITS_PER_SECOND', 20, 0, 1_000_000),
    logLevel,
    publicUrl: publicUrl(env),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    zipLimits: {
      maxExpandedBytes: size(env, 'ZIP_EXPANDED_LIMIT', '1000mb'),
      maxEntries: integer(env, 'ZIP_MAX_ENTRIES', 100, 1, 100_000),
    },
    apiDocs: boolean(env, 'API_DOCS', false),
    webDir: absolutePath(env, 'WEB_DIR', resolve('dist/web')),
    secretsKey: secretsKey(env),
    sessionIdleMs: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 1440) * 60_000,
    sessionMaxMs: integer(env, 'SESSION_MAX_HOURS', 12, 1, 720) * 3_600_000,
    tokenSignIn: boolean(env, 'TOKEN_SIGN_IN', true),
    signInMaxFailures: integer(env, 'SIGN_IN_MAX_FAILURES', 10, 1, 1000),
    signInLockMs: integer(env, 'SIGN_IN_LOCK_MINUTES', 15, 1, 1440) * 60_000,
    rateLimitPerAddress: integer(env, 'RATE_LIMIT_PER_ADDRESS', 1200, 1, 10_000_000),
    rateLimitPerPrincipal: integer(env, 'RATE_LIMIT_PER_TOKEN', 600, 1, 10_000_000),
    rateLimitWindowMs: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600) * 1000,
    oidcAllowHttp: boolean(env, 'OIDC_ALLOW_HTTP', false),
    connectorAllowHttp: boolean(env, 'CONNECTOR_ALLOW_HTTP', false),
    connectorRetry: {
      attempts: integer(env, 'CONNECTOR_RETRY_ATTEMPTS', 6, 1, 20),
      baseDelayMs: integer(env, 'CONNECTOR_RETRY_BASE_MS', 1000, 1, 60_000),
      maxDelayMs: integer(env, 'CONNECTOR_RETRY_MAX_MS', 60_000, 1, 600_000),
    },
  };
}

/** A URL fit for a log line or an error message: any password is masked. */
export function redact(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** The Nest injection token under which the validated configuration is provided. */
export const APP_CONFIG = Symbol('APP_CONFIG');
