import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { domainError } from '../common/errors/error-codes.js';

/** Failures are counted over this window; the count starts again after it. */
const WINDOW_MS = 15 * 60_000;
/** The longest a failed attempt is held back before it is answered. */
const MAX_DELAY_MS = 2_000;

/**
 * Slows down, then refuses for a while, an address that keeps failing to sign in or to present a valid
 * token. Counted in Redis so that every API process shares the count. The lock expires by itself, so a
 * legitimate user behind the same address is never locked out for good. When Redis does not answer,
 * sign-in is not blocked on it: the attempt goes on uncounted (and says so in the log).
 */
@Injectable()
export class SignInLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('sign-in-limiter');
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Refuses (429) an address that is locked. */
  async assertAllowed(address: string): Promise<void> {
    const lockedForMs = await this.attempt(() => this.redis.pttl(this.key('lock', address)), -2);
    if (lockedForMs > 0) throw domainError('too_many_attempts', Math.ceil(lockedForMs / 1000));
  }

  /** Counts a failure, locks the address at the limit, and holds the answer back a little more each time. */
  async failed(address: string): Promise<void> {
    const failures = this.key('fail', address);
    const count = await this.attempt(async () => {
      const value = await this.redis.incr(failures);
      if (value === 1) await this.redis.pexpire(failures, WINDOW_MS);
      return value;
    }, 0);
    if (count >= this.config.signInMaxFailures) {
      await this.attempt(
        () => this.redis.multi().set(this.key('lock', address), '1', 'PX', this.config.signInLockMs).del(failures).exec(),
        null,
      );
      this.logger.warn({ code: 'sign_in_locked', failures: count }, 'address locked after repeated failed sign-ins');
    }
    if (count > 2) await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_DELAY_MS, 100 * 2 ** (count - 3))));
  }

  async succeeded(address: string): Promise<void> {
    await this.attempt(() => this.redis.del(this.key('fail', address)), 0);
  }

  private key(kind: 'fail' | 'lock', address: string): string {
    return `${this.config.queuePrefix}:sign-in:${kind}:${address}`;
  }

  private async attempt<T>(command: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await command();
    } catch (error) {
      this.logger.warn(
        { code: 'sign_in_limiter_unavailable', error: (error as Error).message },
        'Redis did not answer; attempt not counted',
      );
      return fallback;
    }
  }
}
