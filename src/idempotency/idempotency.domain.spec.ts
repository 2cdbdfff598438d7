import { describe, expect, it } from '@jest/globals';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './idempotency.domain.js';

describe('Idempotency-Key', () => {
  it('accepts a bare or quoted key of visible ASCII, up to 255 characters', () => {
    expect(parseIdempotencyKey('abc-123')).toBe('abc-123');
    expect(parseIdempotencyKey(' "8e03978e-40d5-43e8-bc93-6894a57f9324" ')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('x'.repeat(255))).toBe('x'.repeat(255));
    for (const bad of ['', '""', 'a b', 'x'.repeat(256), 'clé', '"a"b"', 'a\\b']) {
      expect([bad, parseIdempotencyKey(bad)]).toEqual([bad, null]);
    }
  });

  it('hashes the same request the same way whatever the key order, and any difference differently', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', u: undefined })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
    const base = requestFingerprint('POST', '/api/v1/kits', { studentId: 's', templateId: 't' }, null);
    expect(requestFingerprint('post', '/api/v1/kits', { templateId: 't', studentId: 's' }, null)).toBe(base);
    expect(requestFingerprint('POST', '/api/v1/kits', { studentId: 's', templateId: 'u' }, null)).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/tokens', { studentId: 's', templateId: 't' }, null)).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/kits', { studentId: 's', templateId: 't' }, 'f'.repeat(64))).not.toBe(base);
  });
});
