import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { bearer, tokenFor } from './support/test-app.js';

/**
 * The console's search, student page, device page and lists, in Chromium against the real service:
 * a name typed and a tag scanned from the header, holdings and an action on the student page, history
 * on the device page, keyset paging forward and back, axe-core on each screen, one action by keyboard alone.
 */
// Browser-side checks are strings: the tests are compiled without the DOM's types.
const activeText = (page: Page) => page.evaluate<string | null>('document.activeElement?.textContent ?? null');
/** Polls a condition read through Playwright (the console's CSP forbids the string evaluation of waitForFunction). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
const firstRow = (page: Page) => page.locator('table tbody tr').first().textContent();
const firstRowIs = (page: Page, text: string) => until(`first row ${text}`, async () => (await firstRow(page)) === text);
const rowCountIs = (page: Page, count: number) =>
  until(`${count} rows`, async () => (await page.locator('table tbody tr').count()) === count);

describe('console: students and devices', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let tech: string;
  let admin: string;
  let auditor: string;
  let attendance: string;
  let district: string;
  let school: string;
  let maria: string;
  let chromebook: string;
  let hotspot: string;
  let errors: string[] = [];

  const sql = (text: string, params: unknown[] = []) => t.db.query(text, params);

  beforeAll(async () => {
    t = await startConsoleApp();
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    district = await seed.district();
    school = await seed.school(district);
    await sql(`UPDATE schools SET name = 'Lincoln Middle' WHERE id = $1`, [school]);
    [tech, admin, auditor, attendance] = await Promise.all(
      ['tech', 'district_admin', 'auditor', 'attendance'].map((role) => tokenFor(t, role, district)),
    );
    maria = await seed.student(district, school, { learningModel: 'remote', homeInternet: 'no', grade: '07' });
    await sql(
      `UPDATE students SET given_name = 'Maria', family_name = 'Lopez', identifier = '400123', last_login_at = now() - interval '9 days' WHERE id = $1`,
      [maria],
    );
    chromebook = await seed.device(district, school, {
      asset_tag: 'CB-004211',
      serial_number: 'PF2KX9QZ',
      model: 'Lenovo 100e Gen 3',
      google_status: 'ACTIVE',
      last_sync_at: '2026-11-30T14:00:00Z',
    });
    hotspot = await seed.device(district, school, {
      kind: 'hotspot',
      asset_tag: 'HS-000077',
      serial_number: 'HSSER77',
      imei: '356938035643809',
      line_status: 'active',
      carrier: 'Kajeet',
      monthly_used_mb: 5120,
      monthly_cap_mb: 20480,
    });
    await seed.assign(district, chromebook, maria);
    await seed.assign(district, hotspot, maria);
    // Another student's Chromebook, which Maria cannot be given.
    await seed.assign(
      district,
      await seed.device(district, school, { asset_tag: 'CB-HELD1' }),
      await seed.student(district, school, { learningModel: 'in_person' }),
    );
    // Spares in stock: one to issue, one for the loaner, one for the keyboard-only issue.
    for (const tag of ['CB-SPARE1', 'CB-SPARE2', 'CB-SPARE3']) await seed.device(district, school, { asset_tag: tag });
    // 120 more students and 60 more devices: lists page at 50.
    await sql(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, grade)
       SELECT $1, $2, 'roll-' || n, 'Pupil', 'Roll' || lpad(n::text, 3, '0'), '05' FROM generate_series(1, 120) n`,
      [district, school],
    );
    await sql(
      `INSERT INTO devices (district_id, school_id, kind, serial_number, asset_tag)
       SELECT $1, $2, 'laptop', 'LT' || n, 'LT-' || lpad(n::text, 3, '0') FROM generate_series(1, 60) n`,
      [district, school],
    );
    // A ticket and a past repair for the pages to show.
    await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(admin))
      .send({ type: 'outreach', studentId: maria })
      .expect(201);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(token: string, path: string): Promise<Page> {
    const opened = await newPage(browser);
    errors = opened.errors;
    await signIn(opened.page, t.baseUrl, token, path);
    return opened.page;
  }

  it('finds a student by name from the header search, and a device by a scanned tag from any screen', async () => {
    const page = await open(tech, '/');
    const search = page.getByRole('combobox', { name: 'Search students and devices' });
    await search.fill('lopez mar');
    const option = page.getByRole('option', { name: /Maria Lopez/ });
    await option.waitFor();
    expect(await page.getByRole('listbox').getByRole('option').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    expect(await search.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await expectAccessible(page);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${t.baseUrl}/students/${maria}`);
    await page.getByRole('heading', { level: 1, name: 'Maria Lopez' }).waitFor();

    // A USB scanner types fast and presses Enter: straight to the one device, even with a partial match (CB-0042110) around.
    await sql(
      `INSERT INTO devices (district_id, school_id, kind, serial_number, asset_tag) VALUES ($1, $2, 'chromebook', 'X1', 'CB-0042110')`,
      [district, school],
    );
    await search.focus();
    await page.keyboard.type('cb-004211', { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${t.baseUrl}/devices/${chromebook}`);
    await page.getByRole('heading', { level: 1, name: 'Chromebook CB-004211' }).waitFor();
    expect(await search.inputValue()).toBe('');

    // A scanned student card (their student number) from the device page.
    await search.focus();
    await page.keyboard.type('400123', { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${t.baseUrl}/students/${maria}`);

    // Text that names several: the list opens and says so.
    await search.fill('CB-SPARE');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /CB-SPARE3/ }).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/students/${maria}`);
    expect(errors).toEqual([]);
  });

  it('shows a student: who they are, what they hold, history, gap and tickets; and runs a return', async () => {
    const page = await open(tech, `/students/${maria}`);
    await page.getByRole('heading', { level: 1, name: 'Maria Lopez' }).waitFor();
    const facts = page.locator('dl.facts');
    expect(await facts.textContent()).toContain('Lincoln Middle');
    expect(await facts.textContent()).toContain('Remote');
    expect(await facts.textContent()).toMatch(/Home internet\s*No/);
    const holdings = page.getByRole('table', { name: 'Devices Maria Lopez holds now' });
    expect(await holdings.getByRole('row').count()).toBe(3);
    expect(await holdings.textContent()).toContain('CB-004211');
    expect(await holdings.textContent()).toContain('HS-000077');
    expect(await page.getByRole('table', { name: 'Open tickets of Maria Lopez' }).textContent()).toContain('Outreach');
    await expectAccessible(page);
    await screenshot(page, 'student');
    // A portrait tablet: the page does not scroll sideways (wide tables scroll within themselves).
    await page.setViewportSize({ width: 800, height: 1280 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(
      0,
    );
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Return the hotspot, damaged: it leaves the holdings and shows in the history as returned.
    await page.getByRole('button', { name: 'Return HS-000077' }).click();
    const dialog = page.getByRole('dialog', { name: 'Return HS-000077 from Maria Lopez' });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole('radio', { name: 'Damaged' }).check();
    await dialog.getByRole('button', { name: 'Return' }).click();
    await dialog.waitFor({ state: 'detached' });
    await until(
      'the hotspot to leave the holdings',
      async () => !(await page.locator('table.holdings').textContent())?.includes('HS-000077'),
    );
    const history = page.getByRole('table', { name: 'Every device Maria Lopez held, most recent first' });
    expect(await history.getByRole('row', { name: /HS-000077/ }).textContent()).toMatch(/Returned.*Damaged/);
    expect(await page.getByRole('status').textContent()).toContain('HS-000077 returned from Maria Lopez (damaged)');
    const [device] = (await sql(`SELECT status, condition FROM devices WHERE id = $1`, [hotspot])) as {
      status: string;
      condition: string;
    }[];
    expect(device).toEqual({ status: 'in_stock', condition: 'damaged' });
    expect(errors).toEqual([]);
  });

  it('shows a refusal in words, and takes a repair with a loaner', async () => {
    const page = await open(tech, `/students/${maria}`);
    // Issuing a device someone holds is refused, and the API's reason is shown.
    await page.getByRole('button', { name: 'Issue a device' }).click();
    const issue = page.getByRole('dialog', { name: 'Issue a device to Maria Lopez' });
    await issue.getByLabel('Asset tag').fill('CB-HELD1');
    await issue.getByRole('button', { name: 'Issue' }).click();
    expect(await issue.getByRole('alert').textContent()).toContain('The device is assigned, not in_stock.');
    await issue.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Repair intake CB-004211' }).click();
    const repair = page.getByRole('dialog', { name: 'Repair intake for CB-004211' });
    expect(await repair.getByRole('checkbox', { name: /Lend Maria Lopez a loaner/ }).isChecked()).toBe(true);
    await repair.getByLabel('Note (optional)').fill('Cracked screen');
    await repair.getByRole('button', { name: 'Take in for repair' }).click();
    await repair.waitFor({ state: 'detached' });
    const holdings = page.getByRole('table', { name: 'Devices Maria Lopez holds now' });
    await holdings.getByText('Loaner', { exact: true }).waitFor();
    expect(await holdings.getByRole('link', { name: 'CB-004211', exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('issues a device by keyboard alone', async () => {
    const page = await open(tech, `/students/${maria}`);
    await page.getByRole('heading', { level: 1, name: 'Maria Lopez' }).waitFor();
    // Tab from the top of the page to the Issue button, as a keyboard user would.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await activeText(page)) === 'Issue a device';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    // The dialog opens with the asset tag field focused: type (or scan) and press Enter.
    await page.getByRole('dialog', { name: 'Issue a device to Maria Lopez' }).waitFor();
    expect(await page.evaluate<string | null>(`document.activeElement?.getAttribute('id') ?? null`)).toBe(
      await page.getByRole('dialog').getByLabel('Asset tag').getAttribute('id'),
    );
    await page.keyboard.type('CB-SPARE3');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Devices Maria Lopez holds now' }).getByRole('link', { name: 'CB-SPARE3' }).waitFor();
    // Focus returns to the button that opened the dialog.
    expect(await activeText(page)).toBe('Issue a device');
    expect(errors).toEqual([]);
  });

  it('shows a device: identity by kind, custody history, repairs and audit trail', async () => {
    const page = await open(admin, `/devices/${chromebook}`);
    await page.getByRole('heading', { level: 1, name: 'Chromebook CB-004211' }).waitFor();
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('Google status');
    expect(facts).toContain('Active');
    expect(facts).toContain('Lenovo 100e Gen 3');
    expect(facts).not.toContain('IMEI');
    const custody = page.getByRole('table', { name: 'Who held CB-004211, most recent first' });
    expect(await custody.getByRole('link', { name: 'Maria Lopez' }).count()).toBe(1);
    expect(await custody.textContent()).toContain('Repair');
    const repairs = page.getByRole('table', { name: 'Repairs of CB-004211, most recent first' });
    expect(await repairs.textContent()).toContain('Cracked screen');
    const audit = page.getByRole('table', { name: 'Changes to CB-004211, newest first' });
    await audit.getByRole('row').nth(1).waitFor();
    expect(await audit.textContent()).toContain('status: in_repair');
    // In repair: the repair can be closed, or the device retired; not issued.
    const actions = page.getByRole('group', { name: 'Actions for CB-004211' });
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Repair done CB-004211', 'Retire CB-004211']);
    await expectAccessible(page);
    await screenshot(page, 'device');

    // A hotspot shows its line instead.
    await page.goto(`${t.baseUrl}/devices/${hotspot}`);
    await page.getByRole('heading', { level: 1, name: 'Hotspot HS-000077' }).waitFor();
    const line = await page.locator('dl.facts').textContent();
    expect(line).toContain('356938035643809');
    expect(line).toContain('5,120 MB of 20,480 MB');
    expect(line).toContain('Kajeet');
    expect(line).not.toContain('Google status');
    await expectAccessible(page);

    // Retire it, confirmed in the dialog.
    await page.getByRole('button', { name: 'Retire HS-000077' }).click();
    const retire = page.getByRole('dialog', { name: 'Retire HS-000077 for good' });
    await retire.getByRole('button', { name: 'Retire' }).click();
    await retire.waitFor({ state: 'detached' });
    await page.locator('.summary').getByText('Retired').waitFor();
    expect(await page.getByRole('group', { name: 'Actions for HS-000077' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows a bulk assignment in a device's audit trail: its own line of the request's one entry", async () => {
    const lines = [
      { assetTag: 'LT-001', studentSourcedId: 'roll-1' },
      { assetTag: 'LT-002', studentSourcedId: 'roll-2' },
    ];
    await t
      .http()
      .post('/api/v1/assignments/bulk')
      .set(...bearer(tech))
      .send({ lines })
      .expect(200);
    const [{ id }] = (await sql(`SELECT id FROM devices WHERE district_id = $1 AND asset_tag = 'LT-001'`, [district])) as { id: string }[];
    const page = await open(admin, `/devices/${id}`);
    const audit = page.getByRole('table', { name: 'Changes to LT-001, newest first' });
    await audit.getByRole('row').nth(1).waitFor();
    expect(await audit.getByRole('row').nth(1).textContent()).toContain('status: assigned');
    expect(errors).toEqual([]);
  });

  it('pages the student and device lists forward and back, with a CSV of the filtered list', async () => {
    const page = await open(tech, '/students');
    const table = page.getByRole('table', { name: 'Students, by family name' });
    await table.waitFor();
    const topRow = async () => (await table.getByRole('row').nth(1).textContent()) ?? '';
    const pageOne = await topRow();
    expect(await table.getByRole('row').count()).toBe(51);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await until('page 2 rows', async () => (await firstRow(page)) !== pageOne);
    const pageTwo = await topRow();
    expect(pageTwo).not.toBe(pageOne);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3').waitFor();
    // The page number moves at the click; the button follows once the page has loaded (the last has no next).
    await page.getByRole('button', { name: 'Next page', disabled: true }).waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 2').waitFor();
    await firstRowIs(page, pageTwo);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();
    await firstRowIs(page, pageOne);
    await page.getByRole('button', { name: 'Previous page', disabled: true }).waitFor();

    // Filters go to the API and into the CSV link; the CSV is what the API streams.
    await page.getByLabel('Learning model').selectOption('remote');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await rowCountIs(page, 1);
    const csvHref = await page.getByRole('link', { name: 'Download CSV (every match)' }).getAttribute('href');
    expect(csvHref).toBe('/api/v1/students?learningModel=remote&format=csv');
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref!);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain('Lopez');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    const devices = page.getByRole('table', { name: 'Devices' });
    await devices.waitFor();
    await page.getByLabel('Kind').selectOption('laptop');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await until('laptops only', async () => (await page.locator('table tbody tr td:nth-child(3)').first().textContent()) === 'Laptop');
    const firstDevice = (await devices.getByRole('row').nth(1).textContent()) ?? '';
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await rowCountIs(page, 10);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await firstRowIs(page, firstDevice);
    expect(await page.getByRole('link', { name: 'Download CSV (every match)' }).getAttribute('href')).toBe(
      '/api/v1/devices?kind=laptop&format=csv',
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it('offers each role only what it may do', async () => {
    // An auditor reads the student, but no custody action is offered.
    const page = await open(auditor, `/students/${maria}`);
    await page.getByRole('heading', { level: 1, name: 'Maria Lopez' }).waitFor();
    expect(await page.getByRole('button', { name: 'Issue a device' }).count()).toBe(0);
    expect(await page.getByRole('group', { name: /Actions for/ }).count()).toBe(0);

    // Attendance sees students, never devices: no device results, no device links, no Devices page.
    const desk = await open(attendance, `/students/${maria}`);
    await desk.getByRole('heading', { level: 1, name: 'Maria Lopez' }).waitFor();
    expect(await desk.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'Students',
      'Tickets',
      'Reports',
    ]);
    expect(await desk.locator('a[href^="/devices/"]').count()).toBe(0);
    await desk.getByRole('combobox', { name: 'Search students and devices' }).fill('CB-SPARE');
    await desk.getByRole('option', { name: 'Nothing matches.' }).waitFor();
    await desk.goto(`${t.baseUrl}/devices/${chromebook}`);
    await desk.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await expectAccessible(desk);
  });
});
