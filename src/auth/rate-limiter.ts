import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { domainError } from '../common/errors/error-codes.js';

/** Whose requests a window counts: a client address, or a token or staff user (however many addresses it comes from). */
export type RateSubject = 'address' | 'principal';

/**
 * For each subject's window (KEYS[i]): start it if it is not running, then count `wanted` (ARGV[2i+1])
 * requests ahead at most, never past the limit (ARGV[2i]) and never more than an eighth of what is left,
 * so leases held by other processes leave the most of the window to whoever asks next. Nothing left: the
 * request is counted as refused. Answers granted, count and remaining milliseconds per subject.
 */
const LEASE_SCRIPT = `
local answer = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local wanted = tonumber(ARGV[2 * i + 1])
  redis.call('SET', key, '0', 'PX', ARGV[1], 'NX')
  local before = tonumber(redis.call('GET', key))
  local granted = 0
  if before < limit then granted = math.max(1, math.min(wanted, math.floor((limit - before) / 8))) end
  answer[3 * i - 2] = granted
  answer[3 * i - 1] = redis.call('INCRBY', key, math.max(granted, 1))
  answer[3 * i] = redis.call('PTTL', key)
end
return answer`;

/** Requests this process may still let through in a subject's window without asking Redis. */
interface Lease {
  left: number;
  /** When the window ends at the latest (taken from before the round trip, so never after Redis's). */
  endsAt: number;
  /** Granted last time, and when: the next lease asks for what this rate would use in LEASE_MS. */
  size: number;
  grantedAt: number;
  /** Over the limit: refused here, without a round trip, until the window ends. */
  refused: boolean;
}

type LeaseRedis = Redis & { rateLease(numKeys: number, ...args: (string | number)[]): Promise<number[]> };

/** A lease lasts about this long at the subject's recent rate: at most a quarter second of its requests is counted ahead. */
const LEASE_MS = 250;
const MAX_LEASE = 1000;
/** Leases of windows that ended are dropped once this many subjects are held. */
const SWEEP_AT = 10_000;

/**
 * Request rate limits: a fixed window per address and per token or staff user, counted in Redis so every
 * API process shares the count. The window starts at a subject's first request and ends by its own expiry.
 *
 * A subject sending many requests gets them counted in Redis ahead, a lease of about a quarter second of
 * its rate, and this process lets them through without a round trip each: at 500 requests a second that is
 * a few round trips a second instead of 500. Leases never pass the limit, so all processes together never
 * let more through than it; a lease another process has not used up yet can only make a subject's last
 * requests of a window refused a little early. A subject sending fewer than four a second is counted per request.
 *
 * When Redis does not answer the request goes on uncounted at once (no offline queue, a short command
 * timeout; logged at most once a minute): every request passes here, and a limiter that is down must
 * neither hold requests back nor take the API with it.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('rate-limiter');
  private readonly redis: LeaseRedis;
  private readonly leases = new Map<string, Lease>();
  private warnedAt = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 1000,
    });
    redis.on('error', () => undefined);
    redis.defineCommand('rateLease', { lua: LEASE_SCRIPT });
    this.redis = redis as LeaseRedis;
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
   * Counts one request against several subjects (its address and its token), from this process's leases
   * where it holds some and in one round trip to Redis for the others. Refuses it once any subject is over
   * its limit.
   */
  async hitAll(subjects: { subject: RateSubject; id: string }[]): Promise<void> {
    const now = Date.now();
    const ask: { key: string; subject: RateSubject; limit: number; wanted: number }[] = [];
    for (const { subject, id } of subjects) {
      const key = `${this.config.queuePrefix}:rate:${subject}:${id}`;
      const lease = this.leases.get(key);
      const limit = subject === 'address' ? this.config.rateLimitPerAddress : this.config.rateLimitPerPrincipal;
      if (lease && now < lease.endsAt) {
        if (lease.refused) throw domainError('too_many_requests', Math.max(1, Math.ceil((lease.endsAt - now) / 1000)));
        if (lease.left > 0) {
          lease.left -= 1;
          continue;
        }
      }
      // The last lease lasted (now - grantedAt): ask for what the same rate uses in LEASE_MS.
      const wanted = lease ? Math.min(MAX_LEASE, Math.max(1, Math.ceil((lease.size * LEASE_MS) / Math.max(1, now - lease.grantedAt)))) : 1;
      ask.push({ key, subject, limit, wanted });
    }
    if (ask.length === 0) return;

    let replies: number[];
    try {
      const args: (string | number)[] = ask.map((a) => a.key);
      args.push(this.config.rateLimitWindowMs);
      for (const a of ask) args.push(a.limit, a.wanted);
      replies = await this.redis.rateLease(ask.length, ...args);
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
    if (this.leases.size >= SWEEP_AT) this.sweep(now);
    let refusal: number | null = null;
    for (const [i, { key, subject, limit }] of ask.entries()) {
      const [granted, count, remainingMs] = [Number(replies[3 * i]), Number(replies[3 * i + 1]), Number(replies[3 * i + 2])];
      // This request takes one of the granted; the rest wait here for the subject's next requests, with
      // what is left of a lease granted to a concurrent request (the earlier end wins: never past a window).
      const prior = this.leases.get(key);
      const current = prior !== undefined && !prior.refused && now < prior.endsAt;
      this.leases.set(key, {
        left: Math.max(0, granted - 1) + (current ? prior.left : 0),
        endsAt: Math.min(now + Math.max(0, remainingMs), current ? prior.endsAt : Infinity),
        size: Math.max(1, granted),
        grantedAt: now,
        refused: granted === 0,
      });
      if (granted > 0) continue;
      if (count === limit + 1) this.logger.warn({ code: 'rate_limited', subject, limit }, 'request rate limit reached');
      refusal = Math.max(refusal ?? 0, Math.ceil(remainingMs / 1000), 1);
    }
    if (refusal !== null) throw domainError('too_many_requests', refusal);
  }

  private sweep(now: number): void {
    for (const [key, lease] of this.leases) if (lease.endsAt <= now) this.leases.delete(key);
  }
}
