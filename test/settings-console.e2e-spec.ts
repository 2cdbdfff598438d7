import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { bearer, tokenFor } from './support/test-app.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, TestIdp } from './support/test-idp.js';

/**
 * The console's /settings in Chromium against the real service: a district admin changes the district's
 * settings, adds a school-scoped staff user, changes their schools and role and disables them, creates an API token
 * whose secret is shown once and works, then revokes it. axe-core on the screen.
 */
describe('console: settings', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let admin: string;
  let tech: string;
  let district: string;
  let school: string;
  let idp: TestIdp;
  let errors: string[] = [];

  const sql = (text: string, params: unknown[] = []) => t.db.query(text, params) as Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    // A local OpenID Connect provider over http, which the service accepts only with OIDC_ALLOW_HTTP.
    t = await startConsoleApp({ env: { OIDC_ALLOW_HTTP: 'true', SECRETS_KEY: randomBytes(32).toString('base64') } });
    idp = await TestIdp.start(`${t.baseUrl}/auth/oidc/callback`);
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    district = await seed.district();
    await sql(`UPDATE districts SET name = 'North Valley Unified', code = 'NV-01' WHERE id = $1`, [district]);
    school = await seed.school(district);
    await sql(`UPDATE schools SET name = 'Lincoln Middle', code = 'LMS' WHERE id = $1`, [school]);
    [admin, tech] = await Promise.all([tokenFor(t, 'district_admin', district), tokenFor(t, 'tech', district)]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await t?.close();
  });

  async function open(token: string, path: string): Promise<Page> {
    const opened = await newPage(browser);
    errors = opened.errors;
    await signIn(opened.page, t.baseUrl, token, path);
    return opened.page;
  }

  it('a district admin changes settings, manages a staff user and creates then revokes an API token', async () => {
    const page = await open(admin, '/settings');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    // District settings.
    const gap = page.getByLabel('Login gap: school days without a login');
    await gap.fill('7');
    await page.getByLabel('Closure days (YYYY-MM-DD, one a line)').fill('2026-11-26\n2026-11-27');
    await page.getByRole('button', { name: 'Save district settings' }).click();
    await page.getByText('Saved the settings of North Valley Unified.').waitFor();
    const [saved] = await sql(`SELECT gap_threshold_days, closure_dates::text[] AS closure FROM districts WHERE id = $1`, [district]);
    expect(saved).toEqual({ gap_threshold_days: 7, closure: ['2026-11-26', '2026-11-27'] });
    // A refusal names the field, in the API's words.
    await page.getByLabel('Time zone (IANA, e.g. America/New_York)').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save district settings' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /timeZone/ })
      .waitFor();
    await page.getByLabel('Time zone (IANA, e.g. America/New_York)').fill('America/New_York');
    await page.getByRole('button', { name: 'Save district settings' }).click();
    await page.locator('p.problem').waitFor({ state: 'detached' });
    await page.getByText('Saved the settings of North Valley Unified.').waitFor();

    // A staff user confined to one school.
    const add = page.getByRole('form', { name: 'Add a staff user' });
    await add.getByLabel('Name').fill('Dana Whitfield');
    await add.getByLabel('Email').fill('dana@example.org');
    await add.getByLabel('Role').selectOption('tech');
    await add.getByLabel('Only these schools (none: the whole district)').selectOption(school);
    await add.getByRole('button', { name: 'Add staff user' }).click();
    await page.getByText('Added Dana Whitfield as Technician.').waitFor();
    const row = page.locator('tr', { hasText: 'dana@example.org' });
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^Lincoln Middle/);
    // Her scope changes in a dialog: the whole district, then back to Lincoln Middle; no school ticked is refused.
    await page.getByRole('button', { name: 'Change schools of Dana Whitfield' }).click();
    const scope = page.getByRole('dialog', { name: 'Schools of Dana Whitfield' });
    expect(await scope.getByLabel('Lincoln Middle (LMS)').isChecked()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'settings-staff-schools');
    await scope.getByLabel('The whole district').check();
    await scope.getByRole('button', { name: 'Save schools' }).click();
    await page.getByText('Dana Whitfield now works in Whole district;', { exact: false }).waitFor();
    await row.locator('td', { hasText: /^Whole district/ }).waitFor();
    expect((await sql(`SELECT school_ids FROM staff_users WHERE email = 'dana@example.org'`))[0]).toEqual({ school_ids: null });
    await page.getByRole('button', { name: 'Change schools of Dana Whitfield' }).click();
    await scope.getByLabel('Only the schools ticked below').check();
    await scope.getByRole('button', { name: 'Save schools' }).click();
    await scope
      .getByRole('alert')
      .filter({ hasText: /schoolIds/ })
      .waitFor();
    await scope.getByLabel('Lincoln Middle (LMS)').check();
    await scope.getByRole('button', { name: 'Save schools' }).click();
    await page.getByText('Dana Whitfield now works in Lincoln Middle;', { exact: false }).waitFor();
    await page.getByLabel('Role of Dana Whitfield').selectOption('helpdesk');
    await page.getByText('Dana Whitfield is now Help desk.').waitFor();
    await page.getByRole('button', { name: 'Disable Dana Whitfield' }).click();
    await page.getByRole('button', { name: 'Enable Dana Whitfield' }).waitFor();
    const [dana] = await sql(`SELECT role, active, school_ids::text[] AS schools FROM staff_users WHERE email = 'dana@example.org'`);
    expect(dana).toEqual({ role: 'helpdesk', active: false, schools: [school] });

    // An API token: the secret once, working; then revoked.
    const create = page.getByRole('form', { name: 'Create an API token' });
    await create.getByLabel('Token name').fill('Nightly roster sync');
    await create.getByLabel('Token role').selectOption('tech');
    await create.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByLabel('New token secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await t
      .http()
      .get('/api/v1/tokens/me')
      .set(...bearer(secret))
      .expect(200);
    await expectAccessible(page);
    await screenshot(page, 'settings');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByLabel('New token secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke Nightly roster sync' }).click();
    await page.getByText('Revoked the token "Nightly roster sync".').waitFor();
    await t
      .http()
      .get('/api/v1/tokens/me')
      .set(...bearer(secret))
      .expect(401);
    expect(errors).toEqual([]);
  });

  it('a district admin sets up the identity provider; the secret is never shown back', async () => {
    const page = await open(admin, '/settings');
    await page.getByText('No identity provider yet').waitFor();
    const form = page.getByRole('form', { name: 'Identity provider' });
    await form.getByLabel('Issuer URL').fill(idp.issuer);
    await form.getByLabel('Client ID').fill(IDP_CLIENT_ID);
    await form.getByLabel('Client secret (entered again on every save; never shown)').fill(IDP_CLIENT_SECRET);
    await form.getByLabel('Allowed email domains (comma or space separated)').fill('northvalley.org, nv.k12.us');
    await form.getByRole('button', { name: 'Save identity provider' }).click();
    await page.getByText('Saved the identity provider.').waitFor();
    await page.getByText('northvalley.org, nv.k12.us').waitFor();
    expect(await page.locator('section[aria-labelledby="idp-heading"] code').textContent()).toMatch(/\/auth\/oidc\/callback$/);
    expect(await page.content()).not.toContain(IDP_CLIENT_SECRET);
    // An issuer that answers no discovery document is refused in the API's words.
    await form.getByLabel('Issuer URL').fill('http://127.0.0.1:9/nothing');
    await form.getByLabel('Client secret (entered again on every save; never shown)').fill('x');
    await form.getByRole('button', { name: 'Save identity provider' }).click();
    await form.locator('p.problem').waitFor();
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('a district admin adds the live connectors, runs one now and replaces a secret; secrets are never shown', async () => {
    const page = await open(admin, '/settings');
    const section = page.locator('section[aria-labelledby="connectors-heading"]');
    await section.getByText('No connectors yet').waitFor();
    const add = page.getByRole('form', { name: 'Add a connector' });
    await add.getByLabel('Base URL of the OneRoster API').fill('https://roster.example.org/ims/oneroster/v1p1');
    await add.getByLabel('Token URL (OAuth 2.0 client credentials)').fill('https://roster.example.org/oauth/token');
    await add.getByLabel('Client ID').fill('nv-client');
    await add.getByLabel('Client secret (never shown again)').fill('roster-secret-1');
    await add.getByRole('button', { name: 'Add connector' }).click();
    await page.getByText('Added the OneRoster REST (schools and students) connector.').waitFor();

    // Google's key file, as the Cloud console downloads it.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = {
      type: 'service_account',
      project_id: 'nv-project',
      private_key_id: 'k1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'sync@nv-project.iam.gserviceaccount.com',
      client_id: '1',
      token_uri: 'https://oauth2.googleapis.com/token',
    };
    await add.getByLabel('Kind').selectOption('google-workspace');
    await add
      .getByLabel('Service account key file (JSON) (never shown again)')
      .setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(keyFile)) });
    await add.getByLabel('Admin email the service account acts as').fill('admin@northvalley.org');
    await add.getByLabel('Write-back to Google Admin').selectOption('dry_run');
    await add.getByRole('button', { name: 'Add connector' }).click();
    await page.getByText('Added the Google Workspace (Chromebooks and logins) connector.').waitFor();
    // One of each kind: nothing more to add once the list shows both.
    await add.waitFor({ state: 'detached' });
    expect(await section.locator('tbody tr').count()).toBe(2);

    const roster = section.locator('tr', { hasText: 'OneRoster REST' });
    await roster.getByRole('button', { name: 'Run now' }).click();
    await page.getByText('A run of the OneRoster REST (schools and students) connector is queued.').waitFor();
    expect(
      await sql(`SELECT r.status FROM connector_runs r JOIN connectors c ON c.id = r.connector_id WHERE c.district_id = $1`, [district]),
    ).toEqual([{ status: 'queued' }]);

    // A new secret replaces the stored one; the rest of the settings stay.
    await roster.getByRole('button', { name: 'Change settings' }).click();
    const edit = page.getByRole('form', { name: 'Settings of the OneRoster REST (schools and students) connector' });
    await expect(edit.getByLabel('Client ID').inputValue()).resolves.toBe('nv-client');
    await edit.getByLabel('Client secret (leave empty to keep the stored one; never shown)').fill('roster-secret-2');
    await edit.getByRole('button', { name: 'Save connector' }).click();
    await page.getByText('Saved the OneRoster REST (schools and students) connector.').waitFor();

    const html = await page.content();
    for (const secret of ['roster-secret-1', 'roster-secret-2', 'BEGIN PRIVATE KEY']) expect(html).not.toContain(secret);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('a district admin adds a school, is refused a code already taken, and edits a school', async () => {
    const page = await open(admin, '/settings');
    const add = page.getByRole('form', { name: 'Add a school' });
    await add.getByLabel('School name').fill('Roosevelt High');
    await add.getByLabel('School code').fill('RHS');
    await add.getByRole('button', { name: 'Add school' }).click();
    await page.getByText('Added Roosevelt High.').waitFor();
    await page.getByRole('button', { name: 'Edit Lincoln Middle' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Lincoln Middle' });
    await dialog.getByLabel('Code').fill('RHS');
    await dialog.getByRole('button', { name: 'Save school' }).click();
    await dialog.locator('p.problem').waitFor();
    await dialog.getByLabel('Code').fill('LMS-2');
    await dialog.getByLabel('Name').fill('Lincoln Middle School');
    await dialog.getByRole('button', { name: 'Save school' }).click();
    await page.getByText('Saved Lincoln Middle School.').waitFor();
    const [saved] = await sql(`SELECT name, code FROM schools WHERE id = $1`, [school]);
    expect(saved).toEqual({ name: 'Lincoln Middle School', code: 'LMS-2' });
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('offers no settings to a technician', async () => {
    const page = await open(tech, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Devices' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).count()).toBe(0);
  });
});
