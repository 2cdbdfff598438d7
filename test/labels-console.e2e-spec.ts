import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { parsePdf } from './support/label-pdf.js';
import { Seed } from './support/seed.js';
import { tokenFor } from './support/test-app.js';

/**
 * The labels screen in Chromium against the real service: devices chosen by scanner input and paste (or
 * sent by another page in the URL), a school, the stock and start position with its preview, and the PDF
 * of POST /api/v1/labels downloaded and parsed (its pages, and each label's tag in print order).
 */
describe('labels screen', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let district: string;
  let school: string;
  let techToken: string;
  let auditorToken: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startConsoleApp();
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    district = await seed.district();
    await t.db.query(`UPDATE districts SET name = 'Lincoln County Schools' WHERE id = $1`, [district]);
    school = await seed.school(district);
    for (let i = 1; i <= 30; i++) {
      const tag = `LC-${String(i).padStart(5, '0')}`;
      ids[tag] = await seed.device(district, school, {
        asset_tag: tag,
        serial_number: `5CD${String(i).padStart(6, '0')}`,
        model: 'HP Chromebook 11 G9',
      });
    }
    ids['untagged'] = await seed.device(district, null, { asset_tag: null, serial_number: 'NOTAG-1' });
    techToken = await tokenFor(t, 'tech', district);
    auditorToken = await tokenFor(t, 'auditor', district);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Makes the PDF on the page and downloads it; the PDF's bytes. */
  async function makePdf(page: Page): Promise<Buffer> {
    await page.getByRole('button', { name: 'Make the labels (PDF)' }).click();
    const link = page.getByRole('link', { name: 'Download PDF' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^asset-labels-.+\.pdf$/);
    return readFileSync((await download.path())!);
  }

  /** The bold tag of each label, page by page (the PDF's text runs; the API's own test decodes the codes). */
  const tagsByPage = (pdf: Buffer): string[][] => parsePdf(pdf).map((p) => p.texts.map((x) => x.text).filter((x) => /^LC-\d{5}$/.test(x)));

  it('labels scanned and pasted devices on a partly used sheet: preview, then a PDF of the right pages', async () => {
    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, '/labels');
    await page.getByRole('heading', { name: 'Print labels' }).waitFor();
    await expectAccessible(page);

    // A USB scanner types the tag and Enter.
    const scan = page.getByLabel('Scan or type an asset tag, then Enter');
    await scan.pressSequentially('lc-00001');
    await scan.press('Enter');
    const table = page.getByRole('table', { name: /to label, in this order/ });
    await table.getByRole('cell', { name: 'LC-00001', exact: true }).waitFor();
    await page.getByLabel(/^Or paste asset tags/).fill('LC-00002\nLC-00003\nNOPE-1\nLC-00001');
    await page.getByRole('button', { name: 'Add these tags' }).click();
    await table.getByRole('cell', { name: 'LC-00003', exact: true }).waitFor();
    const notes = page.getByRole('list', { name: 'Tags not added' });
    expect(await notes.getByRole('listitem').allTextContents()).toEqual([
      'No device has the asset tag NOPE-1.',
      'LC-00001 is already in the list.',
    ]);
    expect(await table.locator('tbody tr td:first-child').allTextContents()).toEqual(['LC-00001', 'LC-00002', 'LC-00003']);

    // Avery 5163 holds 10; from position 9, two fit on the first sheet and one goes to a second.
    await page.getByRole('radio', { name: /Avery 5163/ }).check();
    await page.getByLabel(/^Start at position/).fill('9');
    await page.getByText('3 labels on 2 sheets of Avery 5163.').waitFor();
    expect(await page.locator('.sheet-preview figcaption').textContent()).toBe(
      'Preview of the first sheet: 8 positions already used, 2 labels from position 9; 1 more on the following sheets.',
    );
    await expectAccessible(page);
    await screenshot(page, 'labels-screen');
    await page.setViewportSize({ width: 800, height: 1280 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(
      0,
    );

    const pdf = await makePdf(page);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(tagsByPage(pdf)).toEqual([['LC-00001', 'LC-00002'], ['LC-00003']]);
    expect(errors).toEqual([]);
  });

  it('takes devices another page sends in the URL, and shows what the API refuses', async () => {
    const { page, errors } = await newPage(browser);
    const chosen = [ids['LC-00004']!, ids['LC-00005']!, ids['untagged']!];
    await signIn(page, t.baseUrl, techToken, `/labels?deviceIds=${chosen.join(',')}`);
    const table = page.getByRole('table', { name: /to label, in this order/ });
    await table.getByRole('cell', { name: 'NOTAG-1', exact: true }).waitFor();
    expect(await table.locator('tbody tr td:first-child').allTextContents()).toEqual(['LC-00004', 'LC-00005', 'none: cannot be labelled']);

    await page.getByRole('button', { name: 'Make the labels (PDF)' }).click();
    const alert = page.locator('.problem[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('has no asset tag');
    await expectAccessible(page);

    await table.getByRole('button', { name: 'Remove NOTAG-1' }).click();
    await page.getByRole('radio', { name: /Thermal printer/ }).check();
    const pdf = await makePdf(page);
    expect(tagsByPage(pdf)).toEqual([['LC-00004'], ['LC-00005']]);
    expect(errors).toEqual([]);
  });

  it("prints a school's devices on a full Avery 5160 sheet, and opens the PDF in the browser (the README's label sheet)", async () => {
    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, `/labels?schoolId=${school}`);
    await page.getByRole('option', { name: /\(s-/ }).waitFor({ state: 'attached' });
    expect(await page.getByLabel('School', { exact: true }).inputValue()).toBe(school);
    expect(await page.locator('.sheet-preview figcaption').textContent()).toBe(
      'Preview of the first sheet: labels from position 1 on, one for each device of the selection.',
    );
    await page.getByLabel(/^Short line/).fill('Property of Lincoln High');
    const pdf = await makePdf(page);
    const pages = tagsByPage(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toEqual(Array.from({ length: 30 }, (_, i) => `LC-${String(i + 1).padStart(5, '0')}`));

    // Open PDF: a new tab with Chromium's own viewer, photographed once it has drawn the sheet.
    const [viewer] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: /^Open PDF/ }).click()]);
    await viewer.setViewportSize({ width: 850, height: 1100 });
    mkdirSync('test/screenshots', { recursive: true });
    writeFileSync('test/screenshots/labels.png', await settledScreenshot(viewer));
    expect(errors).toEqual([]);
  }, 60_000);

  it("prints a shipment's registered devices, chosen from the district's manifests", async () => {
    const created = await t
      .http()
      .post('/api/v1/shipments')
      .set('Authorization', `Bearer ${techToken}`)
      .send({
        fundingSource: 'ECF',
        shippedOn: '2026-08-01',
        reference: 'PO-7731',
        serialNumbers: ['5CD000007', '5CD000006', 'NOT-HERE-1'],
      });
    expect(created.status).toBe(201);
    const { page, errors } = await newPage(browser);
    await signIn(page, t.baseUrl, techToken, '/labels');
    await page.getByRole('radio', { name: "A shipment's devices" }).check();
    await page.getByLabel('Shipment', { exact: true }).selectOption({ label: 'PO-7731, shipped 2026-08-01 (3 serials)' });
    await page.getByRole('radio', { name: /Avery L7160/ }).check();
    await expectAccessible(page);
    // The serials registered here, in serial number order; one never registered has no device to label.
    expect(tagsByPage(await makePdf(page))).toEqual([['LC-00006', 'LC-00007']]);
    expect(errors).toEqual([]);
  });

  it('is not offered to a role that may not print labels', async () => {
    const { page } = await newPage(browser);
    await signIn(page, t.baseUrl, auditorToken, '/labels');
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Labels' }).count()).toBe(0);
  });
});

/**
 * A screenshot of a page whose drawing signals nothing to the test (a PDF viewer's plugin): taken again
 * until it shows a drawn page (enough dark pixels) and three in a row are the same.
 */
async function settledScreenshot(page: Page, timeoutMs = 20_000): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  let previous: Buffer | null = null;
  let same = 0;
  for (;;) {
    const shot = await page.screenshot();
    const { dark, white } = shares(shot);
    // The viewer's own background is dark grey: a drawn sheet is white paper with black marks on it. The
    // paper's share depends on the viewer's layout (Chromium 156 opens a thumbnail sidebar: 30 % of the shot).
    const drawn = white > 0.2 && dark > 0.005;
    same = drawn && previous?.equals(shot) ? same + 1 : 0;
    if (same >= 2) return shot;
    if (Date.now() > deadline) throw new Error('the PDF viewer never settled on a drawn page');
    previous = shot;
  }
}

/** The shares of an image's pixels that are near black (bars, text) and near white (paper). */
function shares(png: Buffer): { dark: number; white: number } {
  const { data, width, height } = PNG.sync.read(png);
  let dark = 0;
  let white = 0;
  for (let i = 0; i < data.length; i += 4) {
    const low = Math.max(data[i]!, data[i + 1]!, data[i + 2]!);
    const high = Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
    if (low < 40) dark += 1;
    else if (high > 240) white += 1;
  }
  return { dark: dark / (width * height), white: white / (width * height) };
}
