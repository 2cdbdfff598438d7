import { availableParallelism } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, redact } from './app-config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/reconnect',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      // One API process a core, at most 4.
      apiProcesses: Math.min(availableParallelism(), 4),
      bootstrapAdminToken: null,
      queuePrefix: 'reconnect',
      migrationsRun: true,
      jsonBodyLimitBytes: 10 * 1024 * 1024,
    });
  });

  it.each([
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost'],
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['API_PROCESSES', '0'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['BOOTSTRAP_ADMIN_TOKEN', 'short'],
    ['QUEUE_PREFIX', 'has space'],
    ['JSON_BODY_LIMIT', 'ten megs'],
    ['LOG_LEVEL', 'loud'],
    ['SECRETS_KEY', 'dG9vIHNob3J0'],
    ['SECRETS_KEY', 'not base64 at all!'],
    ['PUBLIC_URL', 'ftp://example.org'],
    ['PUBLIC_URL', 'https://example.org/?x=1'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['SESSION_MAX_HOURS', 'forever'],
    ['TOKEN_SIGN_IN', 'perhaps'],
    ['RATE_LIMIT_PER_ADDRESS', '0'],
    ['RATE_LIMIT_PER_TOKEN', 'many'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['IMPORT_APPLY_CONCURRENCY', '0'],
    ['IMPORT_APPLY_CONCURRENCY', '9'],
    ['IMPORT_APPLY_CONCURRENCY', 'two'],
    ['IMPORT_YIELD_COMMITS_PER_SECOND', '-1'],
  ])('names %s when it is %p', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
  });

  it('reads the sign-in settings', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      SECRETS_KEY: key,
      PUBLIC_URL: 'https://reconnect.example.org/',
      SESSION_IDLE_MINUTES: '5',
      TOKEN_SIGN_IN: 'false',
    });
    expect(config.secretsKey?.length).toBe(32);
    expect(config.publicUrl).toBe('https://reconnect.example.org');
    expect(config.sessionIdleMs).toBe(5 * 60_000);
    expect(config.sessionMaxMs).toBe(12 * 3_600_000);
    expect(config.tokenSignIn).toBe(false);
    expect(loadConfig({})).toMatchObject({ publicUrl: null, secretsKey: null, tokenSignIn: true, oidcAllowHttp: false });
  });

  it('reads sizes and booleans', () => {
    const config = loadConfig({ JSON_BODY_LIMIT: '512kb', MIGRATIONS_RUN: 'false', PORT: '8080' });
    expect(config).toMatchObject({ jsonBodyLimitBytes: 512 * 1024, migrationsRun: false, port: 8080 });
  });

  it('reads how many batches an import applies at once', () => {
    expect(loadConfig({}).importApplyConcurrency).toBe(2);
    expect(loadConfig({ IMPORT_APPLY_CONCURRENCY: '1' }).importApplyConcurrency).toBe(1);
    expect(loadConfig({}).importYieldCommitsPerSecond).toBe(20);
    expect(loadConfig({ IMPORT_YIELD_COMMITS_PER_SECOND: '0' }).importYieldCommitsPerSecond).toBe(0);
  });

  it('never prints a password', () => {
    expect(redact('postgres://app:s3cret@db:5432/reconnect')).toBe('postgres://app:***@db:5432/reconnect');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:s3cret@db:5432/x y' })).not.toThrow(/s3cret/);
  });

  it('keeps the API reference and CORS closed by default, and reads the zip limits', () => {
    expect(loadConfig({})).toMatchObject({
      apiDocs: false,
      corsOrigins: [],
      zipLimits: { maxExpandedBytes: 1000 * 1024 * 1024, maxEntries: 100 },
    });
    expect(loadConfig({ CORS_ORIGINS: 'https://console.example.org, http://localhost:5173' }).corsOrigins).toEqual([
      'https://console.example.org',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://console.example.org/path' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(ConfigError);
  });
});
