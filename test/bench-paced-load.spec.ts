import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from '@jest/globals';
import { pacedLoad } from '../bench/paced-load.js';

/** A local server that notes when each request arrived and answers after `delayMs` (404 for /missing). */
async function server(delayMs: number): Promise<{ url: string; arrivals: number[]; close: () => Promise<void> }> {
  const arrivals: number[] = [];
  const srv = createServer((req, res) => {
    arrivals.push(performance.now());
    setTimeout(() => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('{}');
    }, delayMs);
  });
  await new Promise<void>((ready) => srv.listen(0, '127.0.0.1', ready));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () => new Promise((closed) => srv.close(() => closed())),
  };
}

describe('the paced HTTP load (bench/paced-load.ts)', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('sends the rate spread over the second, not each second as one burst', async () => {
    const s = await server(0);
    close = s.close;
    const before = performance.now();
    const result = await pacedLoad(s.url, 'secret', ['/a', '/b'], { connections: 10, seconds: 1, rate: 100 });
    expect(result).toMatchObject({ requests: 100, rate: 100, non2xx: 0, errors: 0, timeouts: 0 });
    // The k-th request is not sent before k × 10 ms (a burst would send all 100 at once). Only this lower
    // bound is asserted: a busy machine may stall the timer and bunch sends later, never earlier.
    const early = [...s.arrivals].sort((a, b) => a - b).filter((t, k) => t < before + k * 10);
    expect(early).toEqual([]);
  });

  it('times each request from its send, so waiting for a busy connection counts, and counts refusals', async () => {
    const s = await server(30);
    close = s.close;
    // 30 requests in 0.3 s over one connection that takes 30 ms each: the last waits about 0.6 s for its turn.
    const result = await pacedLoad(s.url, 'secret', ['/ok', '/missing'], { connections: 1, seconds: 0.3, rate: 100 });
    expect(result.requests).toBe(30);
    expect(result.non2xx).toBe(15);
    expect(result.max).toBeGreaterThanOrEqual(400);
    expect(result.p50).toBeGreaterThanOrEqual(100);
    expect(result.sendLagMaxMs).toBeGreaterThanOrEqual(0);
  });
});
