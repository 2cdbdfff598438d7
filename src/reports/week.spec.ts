import { describe, expect, it } from '@jest/globals';
import { addDays, mondayOf } from './week.js';

describe('mondayOf', () => {
  it('gives the Monday of the week for every day from Monday to Sunday', () => {
    for (const day of ['2020-10-05', '2020-10-06', '2020-10-07', '2020-10-08', '2020-10-09', '2020-10-10', '2020-10-11']) {
      expect(mondayOf(day)).toBe('2020-10-05');
    }
    expect(mondayOf('2020-10-12')).toBe('2020-10-12');
  });

  it('crosses month and year boundaries', () => {
    expect(mondayOf('2021-01-02')).toBe('2020-12-28');
    expect(mondayOf('2020-03-01')).toBe('2020-02-24');
  });
});

describe('addDays', () => {
  it('adds calendar days across a daylight-saving change', () => {
    expect(addDays('2020-10-29', 7)).toBe('2020-11-05');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
  });
});
