import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { bearer, tokenFor } from './support/test-app.js';

/** The distribution station in Chromium, driven as a USB scanner does: the code typed, then Enter. */
describe('distribution station', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const ids: Record<string, string> = {};

  const scan = async (code: string): Promise<void> => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const result = () => page.locator('.result');
  const tally = async (name: 'issued' | 'returned' | 'refused') => Number(await page.getByTestId(`tally-${name}`).textContent());
  const focused = () => page.evaluate<string | undefined>('document.activeElement?.id');
  const rows = async (text: string, params: unknown[]) => (await t.db.query(text, params)) as Record<string, unknown>[];

  beforeAll(async () => {
    t = await startConsoleApp();
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    const district = await seed.district();
    const school = await seed.school(district);
    const neighbour = await seed.district();
    for (const [key, given, family, card] of [
      ['ada', 'Ada', 'Lovelace', 'CARD-1'],
      ['bob', 'Bob', 'Moses', 'CARD-2'],
    ] as const) {
      ids[key] = await seed.student(district, school);
      await t.db.query(`UPDATE students SET given_name = $2, family_name = $3, identifier = $4 WHERE id = $1`, [
        ids[key],
        given,
        family,
        card,
      ]);
    }
    ids['rc1'] = await seed.device(district, school, { asset_tag: 'RC-1', serial_number: 'SN-RC-1' });
    ids['rc2'] = await seed.device(district, school, { asset_tag: 'RC-2', serial_number: 'SN-RC-2' });
    ids['rc3'] = await seed.device(district, school, { asset_tag: 'RC-3', serial_number: 'SN-RC-3' });
    await seed.assign(district, ids['rc3'], ids['bob']!);
    await seed.device(neighbour, await seed.school(neighbour), { asset_tag: 'NEIGH-1', serial_number: 'SN-N-1' });
    const tech = await tokenFor(t, 'tech', district);
    const template = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(tech))
      .send({
        name: 'Home kit',
        items: [
          { item: 'charger', quantity: 1 },
          { item: 'case', quantity: 1 },
        ],
      })
      .expect(201);
    const kit = await t
      .http()
      .post('/api/v1/kits')
      .set(...bearer(tech))
      .send({ studentId: ids['ada'], templateId: template.body.id })
      .expect(201);
    ids['kit'] = kit.body.id as string;
    ({ page, errors } = await newPage(browser));
    await signIn(page, t.baseUrl, tech, '/station');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('has the scan field focused on load, and keeps it', async () => {
    await page.getByRole('heading', { name: 'Distribution station' }).waitFor();
    expect(await focused()).toBe('scan');
    await page.mouse.click(5, 700);
    // The field takes focus back on the next tick: poll for it (bounded).
    for (let i = 0; i < 50 && (await focused()) !== 'scan'; i++) await page.waitForTimeout(20);
    expect(await focused()).toBe('scan');
  });

  it('issues to a student at once, and refuses what it may not issue, saying why', async () => {
    await scan('CARD-1');
    await page.locator('.student-name', { hasText: 'Ada Lovelace (CARD-1)' }).waitFor();
    await scan('rc-1');
    await result().filter({ hasText: 'Issued Chromebook RC-1 to Ada Lovelace.' }).waitFor();
    expect(await tally('issued')).toBe(1);
    expect(
      await rows(`SELECT 1 FROM assignments WHERE device_id = $1 AND student_id = $2 AND ended_at IS NULL`, [ids['rc1'], ids['ada']]),
    ).toHaveLength(1);

    await scan('RC-3');
    await result().filter({ hasText: 'Chromebook RC-3 is already held by Bob Moses (CARD-2). Collect it first.' }).waitFor();
    await scan('NEIGH-1');
    await result().filter({ hasText: "NEIGH-1 is another district's tag" }).waitFor();
    await scan('NOPE-404');
    await result().filter({ hasText: 'Nothing has the code NOPE-404.' }).waitFor();
    expect(await tally('refused')).toBe(3);
    // The live region said the refusal too, for a screen reader.
    expect(await page.locator('[role=alert][aria-live=assertive]').textContent()).toContain('Nothing has the code NOPE-404.');
    expect(await focused()).toBe('scan');
  });

  it('undoes the last scan', async () => {
    await scan('RC-2');
    await result().filter({ hasText: 'Issued Chromebook RC-2 to Ada Lovelace.' }).waitFor();
    expect(await tally('issued')).toBe(2);
    await page.keyboard.press('Control+z');
    await result().filter({ hasText: 'Undone: Chromebook RC-2 is back in stock' }).waitFor();
    expect(await tally('issued')).toBe(1);
    const [device] = await rows(`SELECT status FROM devices WHERE id = $1`, [ids['rc2']]);
    expect(device!['status']).toBe('in_stock');
    expect(await rows(`SELECT 1 FROM assignments WHERE device_id = $1 AND ended_at IS NULL`, [ids['rc2']])).toHaveLength(0);
  });

  it("records the family's acknowledgement with a drawn signature", async () => {
    await page.getByLabel('Name of the adult receiving').fill('Maria Lopez');
    await page.locator('canvas.signature-pad').scrollIntoViewIfNeeded();
    const pad = await page.locator('canvas.signature-pad').boundingBox();
    await page.mouse.move(pad!.x + 20, pad!.y + 40);
    await page.mouse.down();
    await page.mouse.move(pad!.x + 120, pad!.y + 80, { steps: 8 });
    await page.mouse.move(pad!.x + 220, pad!.y + 30, { steps: 8 });
    await page.mouse.up();
    await expectAccessible(page);
    await screenshot(page, 'station');
    await page.getByRole('button', { name: 'Record acknowledgement' }).click();
    await page.getByText('Acknowledged by Maria Lopez.').waitFor();
    const [assignment] = await rows(
      `SELECT acknowledged_by_name AS name, acknowledgement_signature AS signature FROM assignments WHERE device_id = $1 AND ended_at IS NULL`,
      [ids['rc1']],
    );
    expect(assignment!['name']).toBe('Maria Lopez');
    expect(String(assignment!['signature'])).toMatch(/^data:image\/png;base64,/);
  });

  it('collects a broken device from whoever held it straight into repair', async () => {
    await page.getByRole('button', { name: 'Collect', exact: true }).click();
    await page.getByLabel('Scan each device coming back').waitFor();
    expect(await focused()).toBe('scan');
    await scan('RC-3');
    await page.getByRole('heading', { name: 'Chromebook RC-3 from Bob Moses (CARD-2)' }).waitFor();
    await expectAccessible(page);
    await page.keyboard.press('3');
    await result().filter({ hasText: 'Collected Chromebook RC-3 from Bob Moses: broken, taken in for repair.' }).waitFor();
    expect(await tally('returned')).toBe(1);
    const [device] = await rows(`SELECT status, condition FROM devices WHERE id = $1`, [ids['rc3']]);
    expect(device).toEqual({ status: 'in_repair', condition: 'broken' });
    expect(await rows(`SELECT 1 FROM repairs WHERE device_id = $1 AND closed_at IS NULL`, [ids['rc3']])).toHaveLength(1);
    expect(await rows(`SELECT end_reason FROM assignments WHERE device_id = $1`, [ids['rc3']])).toEqual([{ end_reason: 'repair' }]);

    // A working one goes back to stock, with the holder's kit less what is missing; a device nobody holds is refused.
    await scan('RC-1');
    await page.getByRole('heading', { name: 'Chromebook RC-1 from Ada Lovelace (CARD-1)' }).waitFor();
    await page.getByLabel('case × 1 back').uncheck();
    await page.keyboard.press('1');
    await page.locator('.scan-log li', { hasText: 'Home kit returned, missing case.' }).waitFor();
    await page.locator('.scan-log li', { hasText: 'Returned Chromebook RC-1 from Ada Lovelace: working.' }).waitFor();
    const [kit] = await rows(`SELECT returned_at IS NOT NULL AS returned, missing_items AS missing FROM kits WHERE id = $1`, [ids['kit']]);
    expect(kit).toEqual({ returned: true, missing: [{ item: 'case', quantity: 1 }] });
    expect(await focused()).toBe('scan');
    await scan('RC-2');
    await result().filter({ hasText: 'Chromebook RC-2 is not checked out to anyone: it is in stock.' }).waitFor();
    expect(await tally('returned')).toBe(2);
  });

  it('works in portrait on a tablet, and threw no script or CSP error', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await expectAccessible(page);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
});
