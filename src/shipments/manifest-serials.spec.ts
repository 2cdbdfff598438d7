import { describe, expect, it } from '@jest/globals';
import { manifestSerialErrors } from './manifest-serials.js';

describe('manifestSerialErrors', () => {
  it('accepts distinct serial numbers', () => {
    expect(manifestSerialErrors(['PF2KX9QZ', 'PF2KX9QY', 'pf2kx9qz'])).toEqual([]);
  });

  it('names the index of every repeat and the entry it repeats', () => {
    expect(manifestSerialErrors(['A1', 'B2', 'A1', 'C3', 'A1', 'B2'])).toEqual([
      { field: 'serialNumbers[2]', message: 'repeats serialNumbers[0] (A1)' },
      { field: 'serialNumbers[4]', message: 'repeats serialNumbers[0] (A1)' },
      { field: 'serialNumbers[5]', message: 'repeats serialNumbers[1] (B2)' },
    ]);
  });

  it('refuses entries that are not text, blank, too long or padded', () => {
    expect(manifestSerialErrors(['OK', 12, '  ', 'X'.repeat(101), ' PAD'])).toEqual([
      { field: 'serialNumbers[1]', message: 'must be a string' },
      { field: 'serialNumbers[2]', message: 'must not be blank' },
      { field: 'serialNumbers[3]', message: 'must be at most 100 characters' },
      { field: 'serialNumbers[4]', message: 'must not begin or end with spaces' },
    ]);
  });
});
