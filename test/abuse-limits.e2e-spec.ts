import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { TokensRepository } from '../src/auth/tokens.repository.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/** Request rate limits per address and per token, and wrong bearer tokens refused without a database hit. */
describe('abuse limits', () => {
  let t: TestApp;
  let districtId: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: { RATE_LIMIT_PER_ADDRESS: '30', RATE_LIMIT_PER_TOKEN: '10', RATE_LIMIT_WINDOW_SECONDS: '60', SIGN_IN_MAX_FAILURES: '5' },
    });
    districtId = await new Seed(t.db).district();
  });
  afterAll(async () => t.close());

  const get = (token: string, address: string) =>
    t
      .http()
      .get('/api/v1/districts')
      .set(...bearer(token))
      .set('X-Forwarded-For', address);

  it('answers 429 with Retry-After past a token’s limit; another token is unaffected', async () => {
    const [first, second] = [await tokenFor(t, 'helpdesk', districtId), await tokenFor(t, 'helpdesk', districtId)];
    for (let i = 0; i < 10; i += 1) expect((await get(first, `203.0.113.${i + 1}`)).status).toBe(200);
    // The token's 11th request, even from a fresh address, is over its limit.
    const refused = await get(first, '203.0.113.50');
    expect([refused.status, refused.body.code]).toEqual([429, 'too_many_requests']);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await get(second, '203.0.113.50')).status).toBe(200);
  });

  it('answers 429 past an address’s limit; another address is unaffected', async () => {
    const tokens = await Promise.all([0, 1, 2, 3].map(() => tokenFor(t, 'auditor', districtId)));
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) statuses.push((await get(tokens[i % 4]!, '198.51.100.7')).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const refused = await get(tokens[0]!, '198.51.100.7');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(tokens[1]!, '198.51.100.8')).status).toBe(200);
  });

  it('refuses wrong bearer tokens after the limit without looking them up', async () => {
    const lookups = jest.spyOn(t.app.get(TokensRepository), 'findActiveBySecretHash');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await get(`wrong-token-${i}`, '192.0.2.99')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect(lookups).toHaveBeenCalledTimes(5);
      const locked = await get('wrong-token-again', '192.0.2.99');
      expect([locked.status, locked.body.code]).toEqual([429, 'too_many_attempts']);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(lookups).toHaveBeenCalledTimes(5);
      // Another address still gets its answer.
      expect((await get('wrong-token-elsewhere', '192.0.2.100')).status).toBe(401);
    } finally {
      lookups.mockRestore();
    }
  });
});
