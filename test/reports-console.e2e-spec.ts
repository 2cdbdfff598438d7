import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { tokenFor } from './support/test-app.js';

/**
 * The console's /reports in Chromium against the real service: a state admin reads the weekly report
 * for a chosen week with district names and codes, downloads its CSV and reads the 12-week trend as a
 * table (one request for the 12 weeks); attendance staff see their district's report only; a district admin
 * reads tickets per week and type (table and chart) and downloads the federal inventory. axe-core on each screen.
 */
const WEEK = '2026-11-11'; // a Wednesday: the week runs from Monday 9 November
const MONDAY = '2026-11-09';

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

describe('console: reports', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let state: string;
  let attendance: string;
  let admin: string;
  let tech: string;
  let north: string;
  let south: string;
  let errors: string[] = [];

  const sql = (text: string, params: unknown[] = []) => t.db.query(text, params);

  beforeAll(async () => {
    t = await startConsoleApp();
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    north = await seed.district();
    south = await seed.district();
    await sql(`UPDATE districts SET name = 'North Valley Unified', code = 'NV-01' WHERE id = $1`, [north]);
    await sql(`UPDATE districts SET name = 'South Ridge', code = 'SR-02' WHERE id = $1`, [south]);
    const northSchool = await seed.school(north);
    await sql(`UPDATE schools SET name = 'Lincoln Middle', code = 'LMS' WHERE id = $1`, [northSchool]);
    const southSchool = await seed.school(south);
    // North: four fully remote learners; two connect in the week, one only the week before, one never.
    const [r1, r2, , r4] = await Promise.all([1, 2, 3, 4].map(() => seed.student(north, northSchool, { grade: '7' })));
    await seed.student(north, northSchool, { grade: '7', learningModel: 'in_person' });
    await seed.loginEvent(north, r1!, '2026-11-10T15:00:00Z');
    await seed.loginEvent(north, r4!, '2026-11-12T15:00:00Z');
    await seed.loginEvent(north, r2!, '2026-11-03T15:00:00Z');
    // South: one remote learner, connected in the week.
    const s1 = await seed.student(south, southSchool, { grade: '7' });
    await seed.loginEvent(south, s1, '2026-11-11T15:00:00Z');
    // A loaned Chromebook bought with the federal fund, for the inventory.
    const chromebook = await seed.device(north, northSchool, {
      serial_number: 'ECF-SERIAL-1',
      funding_source: 'Emergency Connectivity Fund',
    });
    await seed.assign(north, chromebook, r1!);
    // North's tickets (New York time): a replacement opened and resolved in the chosen week after 24 hours,
    // and a connectivity ticket opened the week before and still open.
    const ticket = (student: string, type: string, status: string, openedAt: string, resolvedAt: string | null) =>
      sql(
        `INSERT INTO tickets (district_id, student_id, school_id, type, status, source, opened_at, resolved_at)
         VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7)`,
        [north, student, northSchool, type, status, openedAt, resolvedAt],
      );
    await ticket(r1!, 'replacement', 'resolved', '2026-11-10T15:00:00Z', '2026-11-11T15:00:00Z');
    await ticket(r2!, 'connectivity', 'open', '2026-11-03T15:00:00Z', null);

    [state, attendance, admin, tech] = await Promise.all([
      tokenFor(t, 'state_admin', null),
      tokenFor(t, 'attendance', north),
      tokenFor(t, 'district_admin', north),
      tokenFor(t, 'tech', north),
    ]);
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

  async function chooseWeek(page: Page): Promise<void> {
    await page.getByLabel('Week of (any day)').fill(WEEK);
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByText('Week of Nov 9, 2026 to Nov 15, 2026.').waitFor();
  }

  const rowOf = (page: Page, text: string) => page.locator('table.weekly tbody tr', { hasText: text });

  it('a state admin reads the weekly report with names and codes, downloads its CSV and reads the trend as a table', async () => {
    const page = await open(state, '/reports');
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const weekRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.includes('/reports/weekly-learning-model') && url.searchParams.get('weekOf') === WEEK)
        weekRequests.push(url.pathname);
    });
    await chooseWeek(page);
    const cells = async (text: string) => (await rowOf(page, text).last().locator('td').allTextContents()).slice(1);
    // District total rows (All grades): enrolled, in person, hybrid, remote, % remote, not connected, % not connected.
    await rowOf(page, 'North Valley Unified (NV-01)').first().waitFor();
    expect(await cells('North Valley Unified (NV-01)')).toEqual(['All grades', '5', '1', '0', '4', '80%', '2', '50%']);
    expect(await cells('South Ridge (SR-02)')).toEqual(['All grades', '1', '0', '0', '1', '100%', '0', '0%']);
    expect(await cells('State total')).toEqual(['All grades', '6', '1', '0', '5', '83.3%', '2', '40%']);

    const csv = await downloaded(page, () => page.getByRole('link', { name: 'Download CSV' }).click());
    expect(csv.name).toBe(`weekly-learning-model-${MONDAY}.csv`); // the server names the file by the Monday
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toContain('districtId,districtName,districtCode,schoolId,schoolName,schoolCode,grade,enrollment');
    expect(lines).toContainEqual(`${north},North Valley Unified,NV-01,,,,,5,1,0,4,80,2,50`);

    // The trend: 12 weeks, the chosen one last, in one request; the week before, 3 of 4 North and 1 of 1 South were not connected.
    const chart = page.getByRole('img', { name: /Percent of fully remote learners not connected, 12 weeks/ });
    await chart.waitFor();
    expect(await chart.locator('rect.marker').count()).toBe(12);
    await page.getByRole('button', { name: 'Show as table' }).click();
    const trend = page.getByRole('table', { name: /Percent of fully remote learners not connected/ });
    expect(await trend.locator('tbody tr').count()).toBe(12);
    expect(await trend.locator('tbody tr').last().locator('th, td').allTextContents()).toEqual(['Nov 9, 2026', '5', '2', '40%']);
    expect(await trend.locator('tbody tr').nth(10).locator('th, td').allTextContents()).toEqual(['Nov 2, 2026', '5', '4', '80%']);
    expect(await trend.locator('tbody tr').first().locator('th, td').allTextContents()).toEqual(['Aug 24, 2026', '5', '5', '100%']);
    await page.getByRole('button', { name: 'Show chart' }).click();
    await chart.waitFor();
    expect(weekRequests.sort()).toEqual(['/api/v1/reports/weekly-learning-model', '/api/v1/reports/weekly-learning-model/trend']);

    // Per school, for one district.
    await page.getByLabel('District', { exact: true }).selectOption(north);
    await page.getByLabel('Per school').check();
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.locator('table.weekly th', { hasText: 'School' }).waitFor();
    await rowOf(page, 'Lincoln Middle (LMS)').first().waitFor();
    expect(await rowOf(page, 'South Ridge').count()).toBe(0);
    await page.getByRole('img', { name: /North Valley Unified \(NV-01\)/ }).waitFor();
    await expectAccessible(page);

    // The page as the screenshot shows it: every district, the chart.
    await page.getByLabel('District', { exact: true }).selectOption('');
    await page.getByLabel('Per school').uncheck();
    await page.getByRole('button', { name: 'Show report' }).click();
    await rowOf(page, 'South Ridge (SR-02)').first().waitFor();
    await page.getByRole('img', { name: /every district/ }).waitFor();
    await screenshot(page, 'reports');
    expect(errors).toEqual([]);
  });

  it("attendance staff read their district's report, without the district choice or the federal inventory", async () => {
    const page = await open(attendance, '/reports');
    await chooseWeek(page);
    await rowOf(page, 'North Valley Unified (NV-01)').first().waitFor();
    expect(await rowOf(page, 'South Ridge').count()).toBe(0);
    expect(await page.getByLabel('District', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Federal inventory' }).count()).toBe(0);
    // Tickets concern attendance; the rollout audit and device health do not (the API's readers).
    await page.getByRole('heading', { name: 'Tickets: volume and age' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Rollout by funding source' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Device health and spare pools' }).count()).toBe(0);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('a district admin follows a rollout, device health and tickets, and downloads the federal inventory', async () => {
    const page = await open(admin, '/reports');
    await page.getByLabel('Programme or funding source').fill('Emergency Connectivity Fund');
    await page.getByRole('button', { name: 'Show rollout' }).click();
    const funnel = page.getByRole('table', { name: 'North Valley Unified: Emergency Connectivity Fund' });
    const total = funnel.locator('tr.total td');
    await total.first().waitFor();
    // Delivered, registered, assigned, active, idle, in stock, in repair, lost, retired: nothing on a manifest; the
    // one loaned device idle (its student last logged in weeks ago).
    expect(await total.allTextContents()).toEqual(['0', '1', '1', '0', '1', '0', '0', '0', '0']);
    // The reconciliation lists are one click away: the registered Chromebook is on no manifest.
    const unlisted = await downloaded(page, () => funnel.getByRole('link', { name: 'Registered, on no manifest of it (1)' }).click());
    expect(unlisted.text).toContain('ECF-SERIAL-1');
    await page.getByRole('heading', { name: 'Device health and spare pools' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'North Valley Unified' }).first().waitFor();
    // No spare minimum set (0, the default): said so, with the way to set one; never "at least 0".
    const health = page.getByRole('region', { name: 'Device health and spare pools' });
    await health.getByText('No spare pool minimum is set, so no school is flagged as running short of spare Chromebooks.').waitFor();
    expect(await health.getByRole('link', { name: 'Set a minimum in Settings' }).getAttribute('href')).toBe('/settings');

    // Tickets per week and type, to the chosen week: a row per week, a column group per type.
    await chooseWeek(page);
    const tickets = page.getByRole('region', { name: 'Tickets: volume and age' });
    const table = tickets.getByRole('table', { name: 'Tickets per week by type, 12 weeks to the week of Nov 9, 2026' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(12);
    expect(await table.locator('thead th[scope=colgroup]').allTextContents()).toEqual([
      'Replacement',
      'Connectivity',
      'Outreach',
      'Repair',
    ]);
    const week = async (name: string) =>
      (
        await table
          .getByRole('row', { name: new RegExp(`^${name}`) })
          .locator('td')
          .allTextContents()
      ).slice(0, 10);
    // Replacement: opened, resolved, median hours, open at the end, age; then connectivity's.
    expect(await week('Nov 9, 2026')).toEqual(['1', '1', '24', '0', '—', '0', '0', '—', '1', '12.6 / 12.6']);
    expect(await week('Nov 2, 2026')).toEqual(['0', '0', '—', '0', '—', '1', '0', '—', '1', '5.6 / 5.6']);
    // A screen reader hears each cell with its week, type and figure.
    const headers = await table.locator('tbody tr').last().locator('td').nth(8).getAttribute('headers');
    const named = await Promise.all(headers!.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(named).toEqual(['Nov 9, 2026', 'Connectivity', 'Open at week’s end']);
    const chart = tickets.getByRole('img', { name: /Tickets opened per week by type/ });
    expect(await chart.locator('.series-replacement .marker').count()).toBe(13); // 12 weeks and the legend
    expect(await chart.locator('desc').textContent()).toContain('Replacement: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1');
    const perWeek = await downloaded(page, () => tickets.getByRole('link', { name: 'Download tickets per week (CSV)' }).click());
    expect(perWeek.name).toBe('tickets-weekly-2026-11-09.csv');
    expect(perWeek.text).toContain(`${north},North Valley Unified,NV-01,2026-11-09,2026-11-15,replacement,1,1,24,0,,`);
    await tickets.scrollIntoViewIfNeeded();
    await screenshot(page, 'reports-tickets');

    await page.getByRole('heading', { name: 'Federal inventory' }).waitFor();
    expect(await page.getByRole('link', { name: 'Download federal inventory (CSV)' }).count()).toBe(0);
    await page.getByLabel('Funding source', { exact: true }).fill('Emergency Connectivity Fund');
    const csv = await downloaded(page, () => page.getByRole('link', { name: 'Download federal inventory (CSV)' }).click());
    expect(csv.name).toBe('federal-inventory.csv');
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toContain('districtId,districtName,districtCode,schoolId,schoolName,schoolCode');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('ECF-SERIAL-1');
    expect(lines[1]).toContain('Lincoln Middle');
    await expectAccessible(page);

    // A minimum of one, met by one spare: singular.
    await sql(`UPDATE districts SET spare_pool_minimum = 1 WHERE id = $1`, [north]);
    const [school] = (await sql(`SELECT id FROM schools WHERE district_id = $1`, [north])) as { id: string }[];
    await new Seed(t.db).device(north, school!.id, { asset_tag: 'NV-SPARE-1' });
    await page.reload();
    await health.getByText('Every school holds at least 1 spare Chromebook.', { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it('offers no reports to a technician', async () => {
    const page = await open(tech, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Devices' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).count()).toBe(0);
  });
});
