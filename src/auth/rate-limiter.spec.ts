import { describe, expect, it } from '@jest/globals';
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
});
