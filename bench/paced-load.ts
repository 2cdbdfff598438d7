import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult } from './measure.js';

/** The fixed-rate HTTP load of the latency runs (apart from measure.ts so tests can load it alone). */

export const round1 = (n: number): number => Math.round(n * 10) / 10;
/** The p-th percentile of ascending latencies (nearest rank), 0 for none. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

/** How the fixed-rate runs of a table sent their requests, for its heading (runs recorded before pacing had bursts). */
export function rateMethod(loads: LoadResult[]): string {
  const lags = loads.map((l) => l.sendLagMaxMs);
  const connections = loads[0]?.connections ?? 0;
  return lags.some((lag) => lag === undefined)
    ? `autocannon's rate: each connection sent its share of the second back to back, then waited (a burst of ${connections} in flight)`
    : `sent evenly spaced over at most ${connections} keep-alive connections, latency from each send (waiting for a busy connection included); the benchmark's own send lag at most ${Math.max(...(lags as number[]))} ms`;
}

/** A request of a paced run that has had no answer after this long counts as timed out. */
const PACED_TIMEOUT_MS = 10_000;

/**
 * `rate` requests a second, one every 1000/rate ms whatever the answers take, over at most `connections`
 * keep-alive connections (a request whose turn comes while all are busy waits for one). Latency runs from
 * when the request was handed to the client, not from when a connection took it, so waiting for a busy
 * connection counts (no coordinated omission); how late the benchmark's own timer handed requests over is
 * reported apart (sendLagMaxMs), as the mixed load does.
 * autocannon's own rate option is not used: it lets each connection send its quota for the second back to
 * back and then idle (mcollina/autocannon#174), which measures a burst of `connections` requests in flight,
 * not the rate.
 */
export async function pacedLoad(
  baseUrl: string,
  token: string,
  paths: string[],
  options: { connections: number; seconds: number; rate: number },
): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const every = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const tally = { non2xx: 0, errors: 0, timeouts: 0, lagMax: 0 };
  const send = (path: string): Promise<void> =>
    new Promise((done) => {
      const handed = performance.now();
      const req = request(
        { agent, host: url.hostname, port: url.port, path, headers: { authorization: `Bearer ${token}` }, timeout: PACED_TIMEOUT_MS },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - handed);
            if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) tally.non2xx += 1;
            done();
          });
        },
      );
      let timedOut = false;
      req.on('timeout', () => {
        timedOut = true;
        tally.timeouts += 1;
        req.destroy();
      });
      req.on('error', () => {
        if (!timedOut) tally.errors += 1;
        done();
      });
      req.end();
    });
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  await new Promise<void>((finished) => {
    let turn = 0;
    const tick = (): void => {
      const now = performance.now();
      // Catches up on every turn a late timer passed, so the rate holds even when the timer does not.
      for (; turn < total; turn++) {
        const due = started + turn * every;
        if (due > now) {
          setTimeout(tick, due - now);
          return;
        }
        tally.lagMax = Math.max(tally.lagMax, now - due);
        inFlight.push(send(paths[turn % paths.length]!));
      }
      finished();
    };
    tick();
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number): number => round1(percentile(sorted, p));
  return {
    connections: options.connections,
    rate: options.rate,
    seconds: Math.round(seconds * 100) / 100,
    requests: sorted.length,
    requestsPerSecond: Math.round(sorted.length / seconds),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: round1(sorted[sorted.length - 1] ?? 0),
    non2xx: tally.non2xx,
    errors: tally.errors,
    timeouts: tally.timeouts,
    sendLagMaxMs: round1(tally.lagMax),
  };
}
