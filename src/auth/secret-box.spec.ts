import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { seal, unseal } from './secret-box.js';

describe('secret box', () => {
  const key = randomBytes(32);

  it('opens what it sealed, for the same purpose only', () => {
    const box = seal(key, 'client-secret', 'identity-provider:d1');
    expect(box.toString('utf8')).not.toContain('client-secret');
    expect(unseal(key, box, 'identity-provider:d1')).toBe('client-secret');
    expect(unseal(key, box, 'identity-provider:d2')).toBeNull();
    expect(unseal(randomBytes(32), box, 'identity-provider:d1')).toBeNull();
  });

  it('refuses an altered box', () => {
    const box = seal(key, 'client-secret', 'p');
    box[box.length - 1] ^= 1;
    expect(unseal(key, box, 'p')).toBeNull();
    expect(unseal(key, Buffer.alloc(3), 'p')).toBeNull();
  });
});
