import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { loadConfig } from '../config/app-config.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets requests through at once, uncounted, while Redis does not answer', async () => {
    // Nothing listens on port 1.
    const limiter = new RateLimiter(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_ADDRESS: '1' }));
    await limiter.onModuleInit();
    try {
      const started = Date.now();
      for (let i = 0; i < 5; i += 1) await limiter.hit('address', '192.0.2.1');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await limiter.onModuleDestroy();
    }
  });

  it('counts a request against its address and its token at once, and refuses it when either is over', async () => {
    const prefix = `rate-spec-${randomUUID()}`;
    const config = loadConfig({ QUEUE_PREFIX: prefix, RATE_LIMIT_PER_ADDRESS: '3', RATE_LIMIT_PER_TOKEN: '2' });
    const limiter = new RateLimiter(config);
    const redis = new Redis(config.redisUrl);
    await limiter.onModuleInit();
    try {
      const both = [
        { subject: 'address' as const, id: '192.0.2.7' },
        { subject: 'principal' as const, id: 'token:a' },
      ];
      await limiter.hitAll(both);
      await limiter.hitAll(both);
      // The token's third request is over its limit of 2, although the address is still under its 3.
      await expect(limiter.hitAll(both)).rejects.toMatchObject({ code: 'too_many_requests' });
      expect(await redis.get(`${prefix}:rate:address:192.0.2.7`)).toBe('3');
      expect(await redis.get(`${prefix}:rate:principal:token:a`)).toBe('3');
      // Another token from the same address: now the address is over.
      await expect(limiter.hitAll([both[0], { subject: 'principal', id: 'token:b' }])).rejects.toMatchObject({
        code: 'too_many_requests',
      });
    } finally {
      await redis.del(`${prefix}:rate:address:192.0.2.7`, `${prefix}:rate:principal:token:a`, `${prefix}:rate:principal:token:b`);
      redis.disconnect();
      await limiter.onModuleDestroy();
    }
  });

  it('lets exactly the limit through across processes at a high rate, however the requests fall on them', async () => {
    const prefix = `rate-spec-${randomUUID()}`;
    const config = loadConfig({ QUEUE_PREFIX: prefix, RATE_LIMIT_PER_TOKEN: '100' });
    // Two API processes sharing Redis: each counts its requests ahead in leases of its own.
    const processes = [new RateLimiter(config), new RateLimiter(config)];
    const redis = new Redis(config.redisUrl);
    await Promise.all(processes.map((p) => p.onModuleInit()));
    try {
      const outcomes: ('ok' | 'refused')[] = [];
      for (let i = 0; i < 300; i += 1) {
        // Mostly the first process, in runs, as a load balancer might.
        const limiter = processes[i % 7 < 5 ? 0 : 1];
        outcomes.push(
          await limiter.hit('principal', 'token:busy').then(
            () => 'ok' as const,
            (error: unknown) => {
              expect(error).toMatchObject({ code: 'too_many_requests' });
              return 'refused' as const;
            },
          ),
        );
      }
      // Never more than the limit; and not fewer either, as long as each process keeps getting requests.
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(100);
      await expect(processes[1].hit('principal', 'token:busy')).rejects.toMatchObject({ code: 'too_many_requests' });
      // Another subject is unaffected.
      await processes[1].hit('principal', 'token:quiet');
    } finally {
      await redis.del(`${prefix}:rate:principal:token:busy`, `${prefix}:rate:principal:token:quiet`);
      redis.disconnect();
      await Promise.all(processes.map((p) => p.onModuleDestroy()));
    }
  });

  it('starts a new window when the last one ends, also for a subject that was refused', async () => {
    const prefix = `rate-spec-${randomUUID()}`;
    const config = { ...loadConfig({ QUEUE_PREFIX: prefix, RATE_LIMIT_PER_ADDRESS: '20' }), rateLimitWindowMs: 300 };
    const limiter = new RateLimiter(config);
    const redis = new Redis(config.redisUrl);
    await limiter.onModuleInit();
    try {
      for (let i = 0; i < 20; i += 1) await limiter.hit('address', '192.0.2.9');
      await expect(limiter.hit('address', '192.0.2.9')).rejects.toMatchObject({ code: 'too_many_requests' });
      await new Promise((resolve) => setTimeout(resolve, 350));
      for (let i = 0; i < 20; i += 1) await limiter.hit('address', '192.0.2.9');
      await expect(limiter.hit('address', '192.0.2.9')).rejects.toMatchObject({ code: 'too_many_requests' });
    } finally {
      await redis.del(`${prefix}:rate:address:192.0.2.9`);
      redis.disconnect();
      await limiter.onModuleDestroy();
    }
  });
});
