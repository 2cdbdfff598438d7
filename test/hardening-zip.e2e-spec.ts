import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_ROW_ERRORS } from '../src/imports/imports.repository.js';
import {
  count,
  createDistrict,
  importFile,
  manifest,
  ORGS_HEADER,
  uploadRefused,
  USERS_HEADER,
  zipOf,
} from './fixtures/imports/support.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let importDir: string;
let district: string;

beforeAll(async () => {
  importDir = await mkdtemp(join(tmpdir(), 'rct-zip-'));
  t = await startTestApp({ worker: true, env: { IMPORT_DIR: importDir, ZIP_EXPANDED_LIMIT: '1mb', ZIP_MAX_ENTRIES: '20' } });
  district = await createDistrict(t, 'zip-limits');
});

afterAll(async () => {
  await t.close();
  await rm(importDir, { recursive: true, force: true });
});

const roster = (users: string | Buffer) => ({
  'manifest.csv': manifest('bulk', 'bulk'),
  'orgs.csv': `${ORGS_HEADER}\n`,
  'users.csv': users,
});

async function importsRecorded(): Promise<number> {
  return count(t, `SELECT count(*) AS n FROM imports WHERE district_id = $1`, [district]);
}

describe('zip uploads', () => {
  it('refuses at upload a zip whose members would expand beyond ZIP_EXPANDED_LIMIT, without inflating it', async () => {
    // 4 MB of one byte compresses to a few KB: a small zip bomb against a 1 MB limit.
    const bomb = await zipOf(roster(Buffer.alloc(4 * 1024 * 1024, 0x41)));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const started = Date.now();
    const problem = await uploadRefused(t, t.adminToken, 'oneroster', district, bomb, 'roster.zip');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(problem.detail).toMatch(/expand to more than 1048576 bytes/);
    expect(await importsRecorded()).toBe(0);
  });

  it('refuses a zip holding too many files', async () => {
    const files: Record<string, string | Buffer> = roster(`${USERS_HEADER}\n`);
    for (let i = 0; i < 30; i += 1) files[`extra-${i}.txt`] = 'x';
    const problem = await uploadRefused(t, t.adminToken, 'oneroster', district, await zipOf(files), 'roster.zip');
    expect(problem.detail).toMatch(/more than 20 files/);
  });

  it('refuses a zip naming a path outside its folder', async () => {
    const zip = await zipOf({ ...roster(`${USERS_HEADER}\n`), 'xx/evil.csv': 'a' });
    // yazl will not write "..", so the name is forged in place (local header and central directory).
    const forged = Buffer.from(zip.toString('latin1').split('xx/evil.csv').join('../evil.csv'), 'latin1');
    await uploadRefused(t, t.adminToken, 'oneroster', district, forged, 'roster.zip');
    expect(await importsRecorded()).toBe(0);
  });

  it('refuses a truncated zip and a file that is no zip at upload, not after a 202', async () => {
    const zip = await zipOf(roster(`${USERS_HEADER}\n`));
    await uploadRefused(t, t.adminToken, 'oneroster', district, zip.subarray(0, Math.floor(zip.length / 2)), 'roster.zip');
    await uploadRefused(t, t.adminToken, 'oneroster', district, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'roster.zip');
    expect(await importsRecorded()).toBe(0);
  });
});

describe('row errors', () => {
  it(`keeps the first ${MAX_ROW_ERRORS} row errors of an import and counts the rest`, async () => {
    const lines = ['occurred_at,student_sourced_id,source,event,unique_id'];
    for (let i = 0; i < MAX_ROW_ERRORS + 500; i += 1) lines.push(`2026-02-30T10:00:00Z,s-${i},lms,login_success,k-${i}`);
    const result = await importFile(t, 'login-events', district, lines.join('\n'), 'logins.csv');
    expect(result.counts.failed).toBe(MAX_ROW_ERRORS + 500);
    expect(await count(t, `SELECT count(*) AS n FROM import_errors WHERE import_id = $1`, [result.id])).toBe(MAX_ROW_ERRORS);
    expect((result as unknown as { errorsOmitted: number }).errorsOmitted).toBe(500);
  }, 60_000);
});
