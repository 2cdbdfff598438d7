import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mixedPass, writeBackfill, type LatencySummary, type MixedFigures } from '../bench/mixed.js';

const HEADER = 'occurred_at,student_sourced_id,source,event,unique_id';
const SOURCE = [
  HEADER,
  '2026-11-09T13:00:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-1',
  '2026-11-10T14:00:00.000Z,BD001-stu-000002,google,login_failure,BD001-ev-2',
  '2026-12-04T15:30:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-3',
  '',
].join('\n');

describe('the mixed load (bench/mixed.ts)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-mixed-'));
    await writeFile(join(dir, 'logins.csv'), SOURCE);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the backfill as earlier copies shifted by whole weeks, new ids, oldest first, exactly the events asked', async () => {
    const span = await writeBackfill(join(dir, 'logins.csv'), 3, join(dir, 'backfill.csv'), 8, '2026-12-07', 4);
    const lines = (await readFile(join(dir, 'backfill.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1)).toEqual([
      // A third copy, 12 weeks back, of the source's last two events only: 2 + 3 + 3 = 8.
      '2026-08-18T14:00:00.000Z,BD001-stu-000002,google,login_failure,BD001-ev-2-b3',
      '2026-09-11T15:30:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-3-b3',
      '2026-09-14T13:00:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-1-b2',
      '2026-09-15T14:00:00.000Z,BD001-stu-000002,google,login_failure,BD001-ev-2-b2',
      '2026-10-09T15:30:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-3-b2',
      '2026-10-12T13:00:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-1-b1',
      '2026-10-13T14:00:00.000Z,BD001-stu-000002,google,login_failure,BD001-ev-2-b1',
      '2026-11-06T15:30:00.000Z,BD001-stu-000001,google,login_success,BD001-ev-3-b1',
    ]);
    // Whole weeks: every event keeps its weekday.
    for (const line of lines.slice(1)) expect([0, 6]).not.toContain(new Date(line.slice(0, 24)).getUTCDay());
    expect(span).toEqual({ from: '2026-08-17', to: '2026-11-09' });
  });

  it('passes only when every kind answered without errors under the p99 target, at the rate', () => {
    const fine: LatencySummary = { count: 100, errors: 0, p50: 5, p95: 20, p99: 60, max: 90 };
    const figures = (change: Partial<LatencySummary>, sent = 2000): MixedFigures =>
      ({
        rate: 200,
        p99TargetMs: 100,
        windows: [{ window: 'import', seconds: 10, sent, requestsPerSecond: sent / 10, kinds: {} }],
        background: { 'device lookup': fine, 'scan lookup': fine, issue: { ...fine, ...change }, return: fine },
      }) as unknown as MixedFigures;
    expect(mixedPass(figures({}))).toBe(true);
    expect(mixedPass(figures({ p99: 100 }))).toBe(false);
    expect(mixedPass(figures({ errors: 1 }))).toBe(false);
    expect(mixedPass(figures({ count: 0 }))).toBe(false);
    expect(mixedPass(figures({}, 1800))).toBe(false);
  });
});
