import { describe, expect, it } from '@jest/globals';
import { assertVersion } from '../versions.js';
import { parseIfMatch } from './etag.js';

describe('If-Match', () => {
  it('reads *, one tag or a list of strong tags', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' * ')).toEqual({ any: true });
    expect(parseIfMatch('"7"')).toEqual({ any: false, versions: [7] });
    expect(parseIfMatch('"7", "9"')).toEqual({ any: false, versions: [7, 9] });
  });

  it('matches nothing for weak, foreign or malformed tags', () => {
    for (const header of ['W/"7"', '"abc"', '7', '"7', '', '"7", junk', '"1234567890"']) {
      expect([header, parseIfMatch(header)]).toEqual([header, { any: false, versions: [] }]);
    }
    // A weak tag next to a strong one: only the strong one can match.
    expect(parseIfMatch('W/"7", "8"')).toEqual({ any: false, versions: [8] });
  });

  it('passes a matching or absent condition and refuses any other with precondition_failed', () => {
    expect(() => assertVersion(3, undefined)).not.toThrow();
    expect(() => assertVersion(3, { any: true })).not.toThrow();
    expect(() => assertVersion(3, { any: false, versions: [2, 3] })).not.toThrow();
    expect(() => assertVersion(3, { any: false, versions: [2] })).toThrow(expect.objectContaining({ code: 'precondition_failed' }));
    expect(() => assertVersion(3, { any: false, versions: [] })).toThrow(expect.objectContaining({ code: 'precondition_failed' }));
  });
});
