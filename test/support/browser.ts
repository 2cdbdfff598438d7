import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Browser tests: Debian's Chromium driven by playwright-core against the real service (its own database
 * and queue prefix, as every e2e test), serving a fresh build of the console made for this test file.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test/screenshots';

export interface ConsoleApp extends TestApp {
  baseUrl: string;
}

/** Builds src/web into a directory of this test file's own (a second of vite), so tests never see a stale dist/web. */
async function buildConsole(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'reconnect-web-'));
  await promisify(execFile)(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'src/web/vite.config.mjs', '--outDir', outDir, '--emptyOutDir'],
    {
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return outDir;
}

/** The service on an ephemeral port of 127.0.0.1, serving the console built from the working tree. */
export async function startConsoleApp(options: { worker?: boolean; env?: Record<string, string> } = {}): Promise<ConsoleApp> {
  const webDir = await buildConsole();
  const t = await startTestApp({ worker: options.worker, env: { WEB_DIR: webDir, ...options.env } });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return {
    ...t,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await t.close();
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM}: install Debian's package (apt-get update && apt-get install -y chromium), ` +
        'or set CHROMIUM_PATH. .ci/run installs it when missing.',
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page at a 10-inch tablet's size (landscape by default) that fails the test on any CSP violation or script error. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // Well inside jest's 30 s, so a wait that fails names what it waited for.
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

/** Signs in through the server-rendered token form, as a person would, and lands on `returnTo`. */
export async function signIn(page: Page, baseUrl: string, token: string, returnTo = '/'): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(`${baseUrl}${returnTo}`), page.click('button:has-text("Sign in with token")')]);
  await page.waitForSelector('main#main');
}

/** axe-core on the page as it is: WCAG 2.0/2.1 A and AA, zero violations (the failure lists each rule and element). */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  if (violations.length) throw new Error(`axe-core found ${violations.length} violation(s):\n${violations.join('\n')}`);
}

/** Saves test/screenshots/<name>.png (committed; the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
