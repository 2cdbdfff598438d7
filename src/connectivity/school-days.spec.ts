import { describe, expect, it } from '@jest/globals';
import { addDays, gapCutoff, inSchoolYear, isIsoDate, todayIn } from './school-days.js';

describe('gapCutoff', () => {
  it('counts back school days, skipping weekends and excluding the scan date', () => {
    // Friday 2020-10-09: the five school days before it are Fri 2 Oct .. Thu 8 Oct.
    expect(gapCutoff('2020-10-09', 5, [])).toBe('2020-10-02');
    // Monday 2020-10-12: Mon 5 .. Fri 9.
    expect(gapCutoff('2020-10-12', 5, [])).toBe('2020-10-05');
  });

  it('skips closure dates', () => {
    // Columbus Day closure on Mon 12 Oct: from Wed 14 Oct back five days is Tue 6 Oct.
    expect(gapCutoff('2020-10-14', 5, ['2020-10-12'])).toBe('2020-10-06');
  });

  it('handles a one-day threshold on a Monday', () => {
    expect(gapCutoff('2020-10-12', 1, [])).toBe('2020-10-09');
  });
});

describe('dates', () => {
  it('validates ISO dates strictly', () => {
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2020-1-1')).toBe(false);
  });

  it('adds days across months', () => {
    expect(addDays('2020-10-31', 1)).toBe('2020-11-01');
  });

  it('gives the local date of a time zone', () => {
    expect(todayIn('America/New_York', new Date('2020-10-06T02:00:00Z'))).toBe('2020-10-05');
    expect(todayIn('UTC', new Date('2020-10-06T02:00:00Z'))).toBe('2020-10-06');
  });
});

describe('inSchoolYear', () => {
  it('includes both bounds, and every day when no school year is set', () => {
    const year = { start: '2020-08-31', end: '2021-06-18' };
    expect(['2020-08-30', '2020-08-31', '2021-06-18', '2021-06-19'].map((d) => inSchoolYear(d, year))).toEqual([false, true, true, false]);
    expect(inSchoolYear('1999-01-01', { start: null, end: null })).toBe(true);
  });
});
