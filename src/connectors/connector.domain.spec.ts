import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { backoffMs, retryAfterMs } from './connector-http.js';
import { googleScopes, parseSettings, type GoogleSettings } from './connector.domain.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const key = {
  type: 'service_account',
  client_email: 'sync@project.iam.gserviceaccount.com',
  private_key: pem,
  private_key_id: 'abc',
  token_uri: 'https://oauth2.googleapis.com/token',
};

describe('connector settings', () => {
  it('accepts a Google key file as an object or as its text, and keeps only who it is in the shown settings', () => {
    for (const serviceAccountKey of [key, JSON.stringify(key)]) {
      const result = parseSettings('google-workspace', { serviceAccountKey, adminEmail: 'admin@district.org' }, null, false);
      expect(result).toEqual({
        parsed: {
          settings: {
            serviceAccount: { clientEmail: key.client_email, privateKeyId: 'abc', tokenUri: key.token_uri },
            adminEmail: 'admin@district.org',
            apiRootUrl: null,
            writeBack: 'off',
            deprovisionOnRetire: false,
            schedule: null,
          },
          secrets: { serviceAccountKey: key },
        },
      });
    }
  });

  it('names each problem of a key file, and refuses http endpoints unless allowed', () => {
    const result = parseSettings(
      'google-workspace',
      { serviceAccountKey: { ...key, type: 'user', token_uri: 'http://127.0.0.1/token' }, adminEmail: 'a@b.org', writeBack: 'maybe' },
      null,
      false,
    );
    expect('problems' in result && result.problems.map((p) => p.field)).toEqual(['settings.writeBack', 'settings.serviceAccountKey.type']);
    const http = parseSettings(
      'oneroster-rest',
      { baseUrl: 'http://127.0.0.1', tokenUrl: 'http://127.0.0.1/t', clientId: 'c', clientSecret: 's' },
      null,
      false,
    );
    expect('problems' in http && http.problems.map((p) => p.field)).toEqual(['settings.baseUrl', 'settings.tokenUrl']);
    expect(
      'parsed' in
        parseSettings(
          'oneroster-rest',
          { baseUrl: 'http://127.0.0.1', tokenUrl: 'http://127.0.0.1/t', clientId: 'c', clientSecret: 's' },
          null,
          true,
        ),
    ).toBe(true);
  });

  it('merges a change into the stored settings without asking for the secret again', () => {
    const stored = (
      parseSettings('google-workspace', { serviceAccountKey: key, adminEmail: 'admin@district.org' }, null, false) as {
        parsed: { settings: GoogleSettings };
      }
    ).parsed.settings;
    const result = parseSettings('google-workspace', { writeBack: 'on', schedule: '0 7 * * 1-5' }, stored, false);
    expect(result).toMatchObject({ parsed: { settings: { ...stored, writeBack: 'on', schedule: '0 7 * * 1-5' }, secrets: null } });
  });

  it('asks Google for device updates only with write-back on', () => {
    expect(googleScopes('dry_run')).toHaveLength(2);
    expect(googleScopes('on')).toContain('https://www.googleapis.com/auth/admin.directory.device.chromeos');
  });
});

describe('connector retries', () => {
  const policy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(Date.parse('2026-12-04T10:00:30Z')).toUTCString(), Date.parse('2026-12-04T10:00:00Z'))).toBe(30_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it('backs off exponentially with jitter, honours Retry-After, and never waits past the bound', () => {
    expect([1, 2, 3].map((retry) => backoffMs(policy, retry, null, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((retry) => backoffMs(policy, retry, null, () => 1))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(policy, 20, null, () => 1)).toBe(60_000);
    expect(backoffMs(policy, 1, 5000)).toBe(5000);
    expect(backoffMs(policy, 1, 3_600_000)).toBe(60_000);
  });
});
