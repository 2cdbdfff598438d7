import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { domainError } from '../common/errors/error-codes.js';

/** Whose requests a window counts: a client address, or a token or staff user (however many addresses it comes from). */
export type RateSubject = 'address' | 'principal';

/**
 * Request rate limits: a fixed window per address and per token or staff user, counted in Redis so every
 * API process shares the count. The window starts at a subject's first request and ends by its own expiry.
 * When Redis does not answer the request goes on uncounted at once (no offline queue, a short command
 * timeout; logged at most once a minute): every request passes here, and a limiter that is down must
 * neither hold requests back nor take the API with it.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('rate-limiter');
  private readonly redis: Redis;
  private warnedAt = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 1000,
    });
    this.redis.on('error', () => undefined);
  }

  async onModuleInit(): Promise<void> {
    // Connected before the first request; if Redis is down now, ioredis keeps trying in the background.
    await this.redis.connect().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Counts one request; refuses it (429 with Retry-After) once the subject is over its limit for the window. */
  hit(subject: RateSubject, id: string): Promise<void> {
    return this.hitAll([{ subject, id }]);
  }

  /**
   * Counts one request against several subjects (its address and its token) in one round trip to
   * Redis: every request passes here, and each round trip is a socket write and a wake-up on both sides.
   * Refuses it once any subject is over its limit.
   */
  async hitAll(subjects: { subject: RateSubject; id: string }[]): Promise<void> {
    let counted: [count: number, remainingMs: number][];
    try {
      const multi = this.redis.multi();
      for (const { subject, id } of subjects) {
        const key = `${this.config.queuePrefix}:rate:${subject}:${id}`;
        multi.set(key, '0', 'PX', this.config.rateLimitWindowMs, 'NX').incr(key).pttl(key);
      }
      const replies = await multi.exec();
      counted = subjects.map((_, i) => [Number(replies?.[3 * i + 1]?.[1]), Number(replies?.[3 * i + 2]?.[1])]);
    } catch (error) {
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn(
          { code: 'rate_limiter_unavailable', error: (error as Error).message },
          'Redis did not answer; requests not counted',
        );
      }
      return;
    }
    subjects.forEach(({ subject }, i) => {
      const limit = subject === 'address' ? this.config.rateLimitPerAddress : this.config.rateLimitPerPrincipal;
      const [count, remainingMs] = counted[i];
      if (count <= limit) return;
      if (count === limit + 1) this.logger.warn({ code: 'rate_limited', subject, limit }, 'request rate limit reached');
      throw domainError('too_many_requests', Math.max(1, Math.ceil(remainingMs / 1000)));
    });
  }
}
