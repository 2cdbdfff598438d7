import { describe, expect, it } from '@jest/globals';
import { pastPrefix } from './students.repository.js';

/** PostgreSQL's "C" order: the texts' UTF-8 bytes (code point order, unlike JavaScript's `<`). */
const compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('a text prefix as a range of the "C" order', () => {
  const texts = [
    '',
    'a',
    'ab',
    'abc',
    'abd',
    'ac',
    'b',
    'z',
    '\u00e9',
    '\u00e9a',
    '\ud7ff',
    '\ue000',
    '\uffff',
    '\u{10000}',
    '\u{10ffff}',
    'a\u{10ffff}',
    'a\u{10ffff}b',
  ];

  it('holds exactly the texts that start with the prefix', () => {
    for (const prefix of ['a', 'ab', 'abc', 'z', '\u00e9', '\ud7ff', '\uffff', 'a\u{10ffff}']) {
      const past = pastPrefix(prefix);
      const inRange = texts.filter((text) => compare(text, prefix) >= 0 && (past === null || compare(text, past) < 0));
      expect(inRange).toEqual(texts.filter((text) => text.startsWith(prefix)));
    }
  });

  it('steps over the surrogates and past the last code point', () => {
    expect(pastPrefix('smith')).toBe('smiti');
    expect(pastPrefix('a\ud7ff')).toBe('a\ue000');
    expect(pastPrefix('a\u{10ffff}')).toBe('b');
    expect(pastPrefix('\u{10ffff}')).toBeNull();
  });
});
