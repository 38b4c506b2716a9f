// Headless Chromium for journeys: Debian's chromium driven by playwright-core. We never
// download a browser; the flags keep it from reaching out to the (closed) network. Journeys
// wrap themselves in describe.skipIf(skipBrowserJourneys): see ./chromium.ts for when.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { paths } from '../../src/paths.ts';
import { demoAccount, providerFor } from '../../tools/http/sign-in.ts';
import { CHROMIUM, requireChromium } from './chromium.ts';

export { CHROMIUM, skipBrowserJourneys } from './chromium.ts';
export const artefactsDir = path.join(paths.root, 'artefacts');

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * Collects what would show a broken page: console errors (which include CSP violations)
 * and uncaught exceptions. Check it at the end of a journey.
 */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation cancels requests still in flight (a favicon, say): not a fault.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** axe-core accessibility check; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(artefactsDir, { recursive: true });
  const file = path.join(artefactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the real pages: the portal's sign-in page, the provider's button, the account. */
export async function signInThroughBrowser(browser: Browser, baseUrl: string, provider: string, account: RegExp): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext()).newPage();
  // Generous: on a busy 2-core machine an htmx round trip can take seconds; a wait is for an
  // outcome, never a measure of speed.
  page.setDefaultTimeout(30_000);
  const problems = watchForProblems(page);
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('button', { name: provider }).click();
  await page.getByRole('button', { name: account }).click();
  await page.waitForURL(`${baseUrl}/`);
  return { page, problems };
}

/**
 * Signs in as a demo account (src/auth/dev-provider/demo-accounts.ts) by its subject, in a context
 * of its own: straight to the account's provider, then its button. Ends wherever the portal sends
 * the account (the home page, choosing a role, or a refusal).
 */
export async function signInAsDemoAccount(browser: Browser, baseUrl: string, sub: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${baseUrl}/sign-in/${providerFor[demoAccount(sub).agency]}`);
  await page.locator(`button[name="sub"][value="${sub}"]`).click();
  await page.waitForURL((url) => url.origin === baseUrl);
  return page;
}

/** axe-core with every rule it runs by default (all but the experimental): every violation, of any impact. */
export async function allAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** How wide the page is laid out: wider than the viewport means it scrolls sideways. */
export const documentWidth = (page: Page): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth);
