import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { tokenFor } from './support/test-app.js';
import { importFile, manifest, ORGS_HEADER, USERS_HEADER, zipOf } from './fixtures/imports/support.js';

/**
 * The imports screen in Chromium against the real service and worker: upload with a kind, follow the
 * import to its end (the page polls it; the test waits on what the page shows, never a fixed time), its
 * counts and row errors (paged, CSV download), suggestions to issue, withdrawals to confirm, past imports.
 */
describe('imports screen', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let district: string;
  let techToken: string;
  let adminToken: string;
  let auditorToken: string;
  let seed: Seed;

  beforeAll(async () => {
    t = await startConsoleApp({ worker: true });
    browser = await launchBrowser();
    seed = new Seed(t.db);
    district = await seed.district();
    techToken = await tokenFor(t, 'tech', district);
    adminToken = await tokenFor(t, 'district_admin', district);
    auditorToken = await tokenFor(t, 'auditor', district);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Chooses the kind and file on /imports and uploads; resolves on the import's own page. */
  async function upload(
    page: Page,
    kind: string,
    name: string,
    content: string | Buffer,
    options: { dryRun?: boolean } = {},
  ): Promise<string> {
    await page.getByLabel('What the file is').selectOption(kind);
    await page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    if (options.dryRun) await page.getByLabel(/^Dry run/).check();
    await page.getByRole('button', { name: /^Upload/ }).click();
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    return page.url().split('/').pop()!;
  }

  it('follows an import with a bad row to its end: counts, the error row, and the errors as a CSV download', async () => {
    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, '/imports');
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    await expectAccessible(page);

    const file = [
      'serialNumber,kind,assetTag,purchaseDate',
      'SN-IMP-1,chromebook,CB-IMP-1,2026-01-05',
      'SN-IMP-2,chromebook,CB-IMP-2,2026-02-30',
      'SN-IMP-3,hotspot,HS-IMP-3,',
    ].join('\n');
    const id = await upload(page, 'devices', 'devices.csv', file);

    // The page polls the import; what it shows when it ends is the wait.
    await page.locator('p.outcome', { hasText: 'Import completed.' }).waitFor({ timeout: 30_000 });
    const counts = page.locator('dl.counts');
    expect(await counts.locator('div', { hasText: 'Rows read' }).locator('dd').textContent()).toBe('3');
    expect(await counts.locator('div', { hasText: 'Created' }).locator('dd').textContent()).toBe('2');
    expect(await counts.locator('div', { hasText: 'Failed' }).locator('dd').textContent()).toBe('1');
    expect(await page.getByRole('progressbar').getAttribute('value')).toBe('1');

    const table = page.getByRole('table', { name: 'Row errors, in file order' });
    await table.waitFor();
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells).toEqual(['3', 'purchaseDate', 'not a valid date']);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all row errors (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`import-${id}-errors.csv`);
    const csv = parse(await readFile((await download.path())!, 'utf8')) as string[][];
    expect(csv).toEqual([
      ['part', 'line', 'item', 'field', 'message'],
      ['', '3', '', 'purchaseDate', 'not a valid date'],
    ]);

    await expectAccessible(page);
    await screenshot(page, 'imports');

    // Portrait tablet: nothing wider than the screen; wide tables scroll inside their own box.
    await page.setViewportSize({ width: 800, height: 1280 });
    await expectAccessible(page);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(
      0,
    );
    expect(errors).toEqual([]);
  });

  it('finishes a good import with its counts, lists it among past imports, and pages row errors', async () => {
    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, '/imports');
    const rows = Array.from({ length: 5 }, (_, i) => `SN-GOOD-${i},chromebook,CB-GOOD-${i}`);
    await upload(page, 'devices', 'good.csv', ['serialNumber,kind,assetTag', ...rows].join('\n'));
    await page
      .locator('p.outcome', { hasText: 'Import completed. 5 rows: 5 created, 0 updated, 0 unchanged, 0 failed.' })
      .waitFor({ timeout: 30_000 });
    await page.getByText('No row errors.').waitFor();

    // 120 bad rows: three pages of 50.
    const bad = Array.from({ length: 120 }, (_, i) => `SN-BAD-${i},chromebook,2026-02-30`);
    await page.goto(`${t.baseUrl}/imports`);
    await upload(page, 'devices', 'bad.csv', ['serialNumber,kind,purchaseDate', ...bad].join('\n'));
    await page.locator('p.outcome', { hasText: /^Import completed\./ }).waitFor({ timeout: 30_000 });
    const table = page.getByRole('table', { name: 'Row errors, in file order' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(50);
    const pager = page.getByRole('navigation', { name: 'Row error pages' });
    await pager.getByRole('button', { name: 'Next page' }).click();
    await pager.getByText('Page 2').waitFor();
    await table.locator('tbody tr').first().locator('td').first().getByText('52', { exact: true }).waitFor();
    await pager.getByRole('button', { name: 'Next page' }).click();
    await pager.getByText('Page 3').waitFor();
    await table.locator('tbody tr').nth(19).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(20);
    await pager.getByRole('button', { name: 'Next page', disabled: true }).waitFor();
    await pager.getByRole('button', { name: 'Previous page' }).click();
    await pager.getByText('Page 2').waitFor();

    // Past imports, newest first, each a link to its page; a filter narrows the list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Imports' }).click();
    const list = page.getByRole('table', { name: 'Past imports, newest first' });
    await list.waitFor();
    await list.getByRole('link', { name: 'bad.csv' }).waitFor();
    expect((await list.getByRole('link').allTextContents()).slice(0, 3)).toEqual(['bad.csv', 'good.csv', 'devices.csv']);
    await page.getByLabel('Kind').selectOption('oneroster');
    await page.getByText('No imports yet match these filters.').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows a refused file with each problem the API names, and records nothing', async () => {
    const { page } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, '/imports');
    await page.getByLabel('What the file is').selectOption('devices');
    await page
      .getByLabel('File', { exact: true })
      .setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('Serail Number,kind\nA,chromebook\n') });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const alert = page.locator('.problem[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/missing column.*did you mean "Serail Number"/);
    expect(page.url()).toBe(`${t.baseUrl}/imports`);
    await expectAccessible(page);
  });

  it('offers a suggested assignment to issue, and custody follows', async () => {
    const school = await seed.school(district);
    const studentId = await seed.student(district, school, { email: 'kim.lee@students.example.org' });
    const json = JSON.stringify({
      kind: 'admin#directory#chromeosdevices',
      chromeosdevices: [
        {
          deviceId: 'g-1',
          serialNumber: 'SN-SUGGEST-1',
          status: 'ACTIVE',
          annotatedUser: 'Kim.Lee@students.example.org',
          annotatedAssetId: 'CB-SUG-1',
        },
      ],
    });
    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, '/imports');
    await upload(page, 'chromeos-devices', 'chromebooks.json', json);
    await page.locator('p.outcome', { hasText: 'Import completed.' }).waitFor({ timeout: 30_000 });
    const table = page.getByRole('table', { name: 'Suggested assignments' });
    await table.waitFor();
    await table.getByRole('button', { name: /^Issue/ }).click();
    await table.getByText('Issued').waitFor();
    const held = (await t.db.query(
      `SELECT a.student_id FROM assignments a JOIN devices d ON d.id = a.device_id WHERE d.serial_number = 'SN-SUGGEST-1' AND a.ended_at IS NULL`,
    )) as { student_id: string }[];
    expect(held).toEqual([{ student_id: studentId }]);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('asks an administrator to confirm the withdrawals of a bulk roster, and applies them', async () => {
    const other = await seed.district();
    const otherAdmin = await tokenFor(t, 'district_admin', other);
    const orgs = [ORGS_HEADER, 'sch-n,,,North Elementary,school,NE,'].join('\n');
    const user = (n: number) => `st-${n},,,true,sch-n,student,u${n},,Given${n},Family${n},,SIS-${n},st${n}@example.org,,,,05,`;
    const roster = (numbers: number[]) =>
      zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': orgs, 'users.csv': [USERS_HEADER, ...numbers.map(user)].join('\n') });
    const first = await importFile(t, 'oneroster', other, await roster([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 'roster.zip');
    expect(first.status).toBe('completed');

    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, otherAdmin, '/imports');
    // A dry run first: what it would do, nothing written.
    await upload(page, 'oneroster', 'roster-8.zip', await roster([1, 2, 3, 4, 5, 6, 7, 8]), { dryRun: true });
    await page.getByRole('heading', { name: 'Students this roster would withdraw' }).waitFor({ timeout: 30_000 });
    await page.locator('p.outcome', { hasText: 'Dry run finished.' }).waitFor();

    await page.goto(`${t.baseUrl}/imports`);
    await upload(page, 'oneroster', 'roster-8.zip', await roster([1, 2, 3, 4, 5, 6, 7, 8]));
    const confirm = page.getByRole('form', { name: 'Confirm the withdrawals' });
    await confirm.waitFor({ timeout: 30_000 });
    const listed = page.getByRole('table', { name: 'Students this roster would withdraw' });
    expect(await listed.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(['st-10', 'st-9']);
    await expectAccessible(page);
    await confirm.getByLabel(/^Note/).fill('SIS moved two students out');
    await confirm.getByRole('button', { name: 'Withdraw 2 students' }).click();
    await page.getByRole('heading', { name: 'Students withdrawn' }).waitFor();
    await page.locator('.status-completed').first().waitFor();
    const status = (await t.db.query(
      `SELECT sourced_id, enrollment_status FROM students WHERE district_id = $1 AND sourced_id IN ('st-9','st-10') ORDER BY 1`,
      [other],
    )) as { enrollment_status: string }[];
    expect(status.map((s) => s.enrollment_status)).toEqual(['withdrawn', 'withdrawn']);
    expect(errors).toEqual([]);
  });

  it('lets the auditor read imports, with nothing to upload or confirm', async () => {
    const { page } = await newPage(browser);
    await signIn(page, t.baseUrl, auditorToken, '/imports');
    await page.getByRole('table', { name: 'Past imports, newest first' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Load a file' }).count()).toBe(0);
    await expectAccessible(page);
    // The whole navigation per role is console.e2e-spec's: here, imports are offered and label printing is not.
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(links).toContain('Imports');
    expect(links).not.toContain('Labels');
    void adminToken;
  });
});
