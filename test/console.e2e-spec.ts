import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, screenshot, signIn, startConsoleApp, type ConsoleApp } from './support/browser.js';
import { Seed } from './support/seed.js';
import { tokenFor } from './support/test-app.js';

/** The console's foundation: served by the service, signed in through /sign-in, role-aware, accessible. */
describe('staff console', () => {
  let t: ConsoleApp;
  let browser: Browser;
  let techToken: string;
  let auditorToken: string;

  beforeAll(async () => {
    t = await startConsoleApp();
    browser = await launchBrowser();
    const seed = new Seed(t.db);
    const districtId = await seed.district();
    techToken = await tokenFor(t, 'tech', districtId);
    auditorToken = await tokenFor(t, 'auditor', districtId);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the app for console paths only, with long-cached assets and an uncached page', async () => {
    const unsigned = await t.http().get('/station?x=1');
    expect(unsigned.status).toBe(303);
    expect(unsigned.headers['location']).toBe('/sign-in?returnTo=%2Fstation%3Fx%3D1');

    const cookie = 'reconnect_session=whatever';
    const page = await t.http().get('/students/123').set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    // Revalidated, not downloaded again, while the build is the same.
    const again = await t.http().get('/students/456').set('Cookie', cookie).set('If-None-Match', page.headers['etag']!);
    expect(again.status).toBe(304);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
    const asset = await t.http().get(script);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    expect((await t.http().get('/assets/nope.js')).status).toBe(404);
    expect((await t.http().get('/favicon.ico').set('Cookie', cookie)).status).toBe(404);
    // Never the app for the API, health or sign-in.
    expect((await t.http().get('/api/v1/nope').set('Cookie', cookie)).headers['content-type']).toContain('application/problem+json');
    expect((await t.http().get('/health/live')).headers['content-type']).toContain('application/json');
    expect((await t.http().get('/sign-in')).text).toContain('Sign in to Reconnect');
  });

  it('sends an unsigned-in visitor to sign in and back, and shows the shell', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${t.baseUrl}/`);
    expect(page.url()).toBe(`${t.baseUrl}/sign-in?returnTo=%2F`);
    await signIn(page, t.baseUrl, techToken, '/');
    await page.getByRole('heading', { name: 'Welcome to Reconnect' }).waitFor();
    expect(await page.locator('header .district').textContent()).toMatch(/^d-/);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'Station',
      'Students',
      'Devices',
      'Tickets',
      'Imports',
      'Labels',
    ]);
    await page.getByRole('search').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-home');

    // Keyboard: the first Tab reaches the skip link, which moves to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');

    await page.goto(`${t.baseUrl}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expectAccessible(page);

    // Portrait tablet.
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.goto(`${t.baseUrl}/`);
    await page.getByRole('heading', { name: 'Welcome to Reconnect' }).waitFor();
    await expectAccessible(page);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${t.baseUrl}/sign-in`);
    await page.goto(`${t.baseUrl}/`);
    expect(page.url()).toContain('/sign-in?returnTo=');
    expect(errors).toEqual([]);
  });

  it('sends a visitor whose session ended to sign in from the app itself', async () => {
    const { page } = await newPage(browser);
    await page.context().addCookies([{ name: 'reconnect_session', value: 'expired', url: t.baseUrl }]);
    await page.goto(`${t.baseUrl}/somewhere`);
    await page.waitForURL(`${t.baseUrl}/sign-in?returnTo=%2Fsomewhere`);
  });

  it('offers a role only what it may do', async () => {
    const { page } = await newPage(browser);
    await signIn(page, t.baseUrl, auditorToken, '/');
    await page.getByRole('heading', { name: 'Welcome to Reconnect' }).waitFor();
    // An auditor reads (imports and reports too); the station issues and collects, labels are for those who change
    // devices, settings for administrators.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'Students',
      'Devices',
      'Tickets',
      'Imports',
      'Reports',
    ]);
    await page.goto(`${t.baseUrl}/station`);
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    expect(await page.locator('#scan').count()).toBe(0);
  });
});
