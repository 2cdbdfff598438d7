import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { bearer, tokenFor, waitForJob } from './support/test-app.js';

/**
 * The queue and the ticket page in Chromium against the real service (with its worker, for gap scans):
 * a help-desk agent works a replacement ticket to resolved by issuing a spare, the queue shows a ticket a
 * scan raised without a reload, filters live in the URL, bulk assign, and attendance logs an attempt.
 */
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
/** A weekday in Maria's gap, made a closure day: the timeline must show it as no school, not missed. */
const CLOSURE = [8, 9, 10]
  .map((n) => new Date(Date.now() - n * DAY))
  .find((d) => d.getUTCDay() % 6 !== 0)!
  .toISOString()
  .slice(0, 10);

/** Polls a condition read through Playwright (the console's CSP forbids waitForFunction's string evaluation). */
async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('console: ticket queue and ticket page', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let district: string;
  let school: string;
  let admin: string;
  let helpdesk: string;
  let attendance: string;
  let broken: string;
  let silent: string;
  let errors: string[] = [];

  beforeAll(async () => {
    t = await startConsoleApp({ worker: true });
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    district = await seed.district({ timeZone: 'UTC', closureDates: [CLOSURE] });
    school = await seed.school(district);
    await t.db.query(`UPDATE schools SET name = 'Lincoln Middle' WHERE id = $1`, [school]);
    [admin, helpdesk, attendance] = await Promise.all(
      ['district_admin', 'helpdesk', 'attendance'].map((role) => tokenFor(t, role, district)),
    );
    // Remote, silent for three weeks, with a broken Chromebook: a replacement ticket.
    broken = await seed.student(district, school, { learningModel: 'remote', homeInternet: 'yes', lastLoginAt: daysAgo(21) });
    await t.db.query(`UPDATE students SET given_name = 'Maria', family_name = 'Lopez' WHERE id = $1`, [broken]);
    await seed.assign(district, await seed.device(district, school, { asset_tag: 'CB-BROKEN', condition: 'broken' }), broken);
    // Everything works but no login: outreach.
    silent = await seed.student(district, school, { learningModel: 'remote', homeInternet: 'yes', lastLoginAt: daysAgo(14) });
    await t.db.query(`UPDATE students SET given_name = 'Ada', family_name = 'Reyes' WHERE id = $1`, [silent]);
    await seed.assign(
      district,
      await seed.device(district, school, { asset_tag: 'CB-FINE', last_sync_at: daysAgo(1), auto_update_through: '2099-01-01' }),
      silent,
    );
    // The school's spare pool.
    await seed.device(district, school, { asset_tag: 'CB-SPARE1' });
    // Older manual replacement tickets so the queue has rows to select.
    for (let n = 0; n < 3; n++) {
      const student = await seed.student(district, school, { learningModel: 'remote' });
      await t
        .http()
        .post('/api/v1/tickets')
        .set(...bearer(admin))
        .send({ type: 'replacement', studentId: student, reasons: ['no_device'] })
        .expect(201);
    }
  }, 120_000);

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

  async function scan(): Promise<void> {
    const accepted = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(admin))
      .send({})
      .expect(202);
    await waitForJob(t, 'gap-scans', accepted.body.id as string);
  }

  it('shows a ticket a scan raised without a reload, keeps filters in the URL, and bulk-assigns', async () => {
    const page = await open(helpdesk, '/tickets');
    // The help desk starts on its equipment tickets (replacement, connectivity, repair), and the URL says so.
    await page.getByRole('heading', { level: 2, name: 'Unassigned' }).waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('replacement,connectivity,repair');
    const rows = () => page.locator('section:has(h2:text("Unassigned")) tbody tr');
    await until('three rows', async () => (await rows().count()) === 3);

    await scan();
    // The poll brings Maria's ticket in, marked new, with no reload.
    const maria = page.getByRole('link', { name: 'Maria Lopez' });
    await until('the scanned ticket', async () => (await maria.count()) === 1, 25_000);
    expect(await page.locator('tr:has-text("Maria Lopez") .badge.new').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'queue');

    // Select the two oldest (Maria's, new, is on top), assign them to me: they move to "Assigned to me".
    await page.getByRole('checkbox').nth(2).check();
    await page.getByRole('checkbox').nth(3).check();
    expect(await page.getByRole('checkbox', { name: 'Select Maria Lopez' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Assign selected…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('heading', { level: 2, name: 'Assigned to me' }).waitFor();
    await until('two of mine', async () => (await page.locator('section:has(h2:text("Assigned to me")) tbody tr').count()) === 2);

    // A filter lands in the URL and survives a reload.
    await page.getByLabel('Order').selectOption('priority');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await until('sort in URL', () => Promise.resolve(new URL(page.url()).searchParams.get('sort') === 'priority'));
    await page.reload();
    expect(await page.getByLabel('Order').inputValue()).toBe('priority');

    // A portrait tablet: the page does not scroll sideways (a wide table scrolls within itself).
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.getByRole('heading', { level: 2, name: 'Assigned to me' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(
      0,
    );
    expect(errors).toEqual([]);
  }, 90_000);

  it('an agent works a replacement ticket to resolved by issuing a spare from the pool', async () => {
    const [row] = (await t.db.query(`SELECT id FROM tickets WHERE student_id = $1 AND type = 'replacement'`, [broken])) as { id: string }[];
    const page = await open(helpdesk, `/tickets/${row!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Replacement ticket: Maria Lopez' }).waitFor();
    await page.getByText('The student’s device is recorded as broken or damaged.').waitFor();
    await page.getByText(/school days missed/).waitFor();
    expect(
      await page
        .locator('.timeline li.closed')
        .filter({ hasText: `${CLOSURE}: no school` })
        .count(),
    ).toBe(1);
    expect(await page.locator('.timeline li.login').count()).toBe(1);
    await page
      .getByRole('link', { name: /CB-BROKEN/ })
      .first()
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'ticket');
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await until('assigned', async () => !((await page.locator('.summary').textContent()) ?? '').includes('Assigned to nobody'));
    await page.getByLabel('Comment', { exact: true }).fill('Called the family, bringing a spare.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByText('Comment: Called the family, bringing a spare.').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('in_progress');
    await page.getByRole('button', { name: 'Save status' }).click();
    await until('in progress', async () => ((await page.locator('.summary .badge').textContent()) ?? '') === 'In progress');
    await page.getByRole('button', { name: /Issue a spare Chromebook/ }).click();
    await until('resolved', async () => ((await page.locator('.summary .badge').textContent()) ?? '') === 'Resolved');
    const [held] = (await t.db.query(
      `SELECT d.asset_tag FROM assignments a JOIN devices d ON d.id = a.device_id WHERE a.student_id = $1 AND a.ended_at IS NULL AND d.asset_tag = 'CB-SPARE1'`,
      [broken],
    )) as { asset_tag: string }[];
    expect(held?.asset_tag).toBe('CB-SPARE1');
    expect(errors).toEqual([]);
  }, 60_000);

  it('an agent with 150 tickets of their own pages through them all; live changes keep the page and a selection of 3', async () => {
    // A district of its own, so the other tests' tickets do not count; its help desk's token has the same name, "helpdesk token".
    const seed = new Seed(t.db);
    const busy = await seed.district({ timeZone: 'UTC' });
    const busySchool = await seed.school(busy);
    const [busyDesk, busyAdmin] = await Promise.all([tokenFor(t, 'helpdesk', busy), tokenFor(t, 'district_admin', busy)]);
    // 150 students and their replacement tickets in two statements, "Queue 001" the oldest.
    await t.db.query(
      `WITH s AS (
         INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, grade, email, learning_model, home_internet, enrollment_status)
         SELECT $1, $2, 'busy-' || n, 'Pat', 'Queue ' || lpad(n::text, 3, '0'), '9', 'busy-' || n || '@example.org', 'remote', 'yes', 'active'
         FROM generate_series(1, 150) n RETURNING id, sourced_id)
       INSERT INTO tickets (district_id, student_id, school_id, type, source, reasons, assignee, opened_at)
       SELECT $1, id, $2, 'replacement', 'manual', '{no_device}', 'helpdesk token', now() - (200 - substring(sourced_id from 6)::int) * interval '1 minute'
       FROM s`,
      [busy, busySchool],
    );
    const page = await open(busyDesk, '/tickets');
    const mine = page.locator('section:has(h2:text("Assigned to me"))');
    const pager = page.getByRole('navigation', { name: 'Assigned to me pages' });
    const names = async () => (await mine.locator('tbody tr td:nth-child(2)').allTextContents()).map((name) => name.replace('New', ''));
    await until('the first 50 of mine', async () => (await mine.locator('tbody tr').count()) === 50);
    expect((await names())[0]).toBe('Pat Queue 001');
    await pager.getByRole('button', { name: 'Next page' }).click();
    await until('page 2', async () => (await names())[0] === 'Pat Queue 051');
    await pager.getByRole('button', { name: 'Next page' }).click();
    await until('page 3', async () => (await names())[0] === 'Pat Queue 101');
    expect((await names()).at(-1)).toBe('Pat Queue 150');
    await until('the last page', () => pager.getByRole('button', { name: 'Next page' }).isDisabled());

    // Three selected on page 3; then one of them changes and a new ticket arrives: the page and the selection stay.
    for (const n of ['120', '121', '122']) await page.getByRole('checkbox', { name: `Select Pat Queue ${n}` }).check();
    const [changing] = (await t.db.query(
      `SELECT t.id FROM tickets t JOIN students s ON s.id = t.student_id WHERE s.family_name = 'Queue 121'`,
    )) as {
      id: string;
    }[];
    await t
      .http()
      .patch(`/api/v1/tickets/${changing!.id}`)
      .set(...bearer(busyDesk))
      .send({ status: 'waiting' })
      .expect(200);
    const newcomer = await seed.student(busy, busySchool);
    await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(busyAdmin))
      .send({ type: 'replacement', studentId: newcomer, reasons: ['no_device'] })
      .expect(201);
    await until('the arrival', async () => (await page.locator('section:has(h2:text("Unassigned")) .badge.new').count()) === 1, 25_000);
    await until(
      'the change in place',
      async () => (await mine.locator('tr:has-text("Pat Queue 121") td').nth(5).textContent()) === 'Waiting',
    );
    expect(await pager.getByText('Page 3').count()).toBe(1);
    expect((await names())[0]).toBe('Pat Queue 101');
    expect(await page.getByText('3 selected').count()).toBe(1);
    for (const n of ['120', '121', '122'])
      expect(await page.getByRole('checkbox', { name: `Select Pat Queue ${n}` }).isChecked()).toBe(true);
    await screenshot(page, 'queue-assigned-pages');

    // Closing the three with one reason closes exactly those; the agent stays on page 3.
    await page.getByRole('button', { name: 'Close selected…' }).click();
    await page.getByRole('dialog').getByLabel('Reason for closing').fill('duplicate');
    await page.getByRole('dialog').getByRole('button', { name: 'Close tickets' }).click();
    await until('47 left on page 3', async () => (await mine.locator('tbody tr').count()) === 47);
    const closed = (await t.db.query(
      `SELECT s.family_name FROM tickets t JOIN students s ON s.id = t.student_id WHERE t.district_id = $1 AND t.status = 'closed' ORDER BY 1`,
      [busy],
    )) as { family_name: string }[];
    expect(closed.map((row) => row.family_name)).toEqual(['Queue 120', 'Queue 121', 'Queue 122']);
    expect(await pager.getByText('Page 3').count()).toBe(1);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  }, 90_000);

  it('attendance logs an outreach attempt in two clicks and sees the family and the home-visit sheet', async () => {
    const [row] = (await t.db.query(`SELECT id FROM tickets WHERE student_id = $1 AND type = 'outreach'`, [silent])) as { id: string }[];
    const page = await open(attendance, `/tickets/${row!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Outreach ticket: Ada Reyes' }).waitFor();
    await page.getByText(/Home language:/).waitFor();
    expect(await page.getByRole('link', { name: /Home-visit sheet for Lincoln Middle/ }).getAttribute('href')).toBe(
      `/api/v1/tickets/home-visit-sheet?schoolId=${school}`,
    );
    await page.getByLabel('Text').check();
    await page.getByRole('button', { name: 'No answer' }).click();
    await page.getByRole('cell', { name: 'No answer' }).waitFor();
    const attempts = (await t.db.query(`SELECT channel, outcome FROM outreach_attempts WHERE ticket_id = $1`, [row!.id])) as {
      channel: string;
      outcome: string;
    }[];
    expect(attempts).toEqual([{ channel: 'text', outcome: 'no_answer' }]);
    await expectAccessible(page);
    await page.setViewportSize({ width: 800, height: 1280 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(
      0,
    );
    expect(errors).toEqual([]);
  }, 60_000);
});
