/**
 * Browser helpers: Debian's Chromium driven by playwright-core, an axe-core check per page, and
 * screenshots saved under test-results/screenshots for people to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const BASE = () => {
  const base = process.env.E2E_BASE_URL;
  if (!base) throw new Error('E2E_BASE_URL not set: run through jest --selectProjects e2e');
  return base;
};

export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return found;
}

/** Playwright gives each launch a fresh, empty profile of its own. */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A phone-sized viewport, as the app is used inside WeChat. */
export function newPhoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
}

declare global {
  interface Window {
    /** The page on screen (Taro keeps earlier pages in the DOM, hidden). */
    currentTaroPage(): HTMLElement | null;
  }
}

/**
 * Opens the app in `context` with `window.currentTaroPage()` defined: logged in as `openid` through
 * the demo login screen (on the home page), or left on the login screen without one. Page errors
 * go to the log.
 */
async function openIn(
  context: BrowserContext,
  openid?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  await context.addInitScript(() => {
    window.currentTaroPage = () => {
      const shown = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter(
        (p) => getComputedStyle(p).display !== 'none' && p.getClientRects().length > 0,
      );
      return shown[shown.length - 1] ?? null;
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`${openid ?? ''} page error:`, err.message));
  await page.goto(BASE() + '/');
  if (!openid) {
    await page.locator('#login-page').waitFor();
    return { context, page };
  }
  await page.locator(`#login-${openid}`).click();
  await page.locator('#home-page').waitFor();
  return { context, page };
}

/** The app in a fresh phone context (see `openIn`). */
export async function phoneAs(
  browser: Browser,
  openid?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  return openIn(await newPhoneContext(browser), openid);
}

/** The app in a fresh context of the given size, e.g. a desk screen (see `openIn`). */
export async function viewportAs(
  browser: Browser,
  openid: string,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  return openIn(await browser.newContext({ viewport, locale: 'zh-CN' }), openid);
}

/** Fails on serious or critical accessibility violations; returns the rest for the log. */
export async function checkA11y(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const detail = bad
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join('\n  ')}`,
      )
      .join('\n');
    throw new Error(`axe found serious/critical violations on ${name}:\n${detail}`);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForTimeout(800); // page-switch animation
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/**
 * Visit step: wait for the page, then screenshot and accessibility check. A toast (1.5 s) is let
 * go first: axe measuring it mid-fade reports a contrast failure that no one ever sees.
 */
export async function visited(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every(
        (el) => getComputedStyle(el).display === 'none',
      ),
    undefined,
    { timeout: 5000 },
  );
  await screenshot(page, name);
  await checkA11y(page, name);
}
