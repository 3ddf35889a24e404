/**
 * The H5 build still works under the server's Content-Security-Policy: Chromium loads the real
 * app, logs in as a demo user, opens 我的, and reports no CSP violation. Skipped when there is no
 * H5 build or no Chromium (the browser suite, `npm run test:e2e`, needs both anyway).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { createServer, type LocalServer } from '../../tools/runtime/server';

const staticDir = path.resolve(__dirname, '../../miniprogram/dist-h5');
const browserPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && fs.existsSync(p),
);
const runnable = fs.existsSync(path.join(staticDir, 'index.html')) && !!browserPath;

let srv: LocalServer | undefined;
afterAll(async () => srv?.close());

(runnable ? it : it.skip)(
  'the built app loads, logs in and navigates with no CSP violation',
  async () => {
    srv = await createServer({ dataDir: ':memory:', demo: true, quiet: true, staticDir });
    const base = `http://127.0.0.1:${((await srv.listen(0)).address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: browserPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.exposeFunction('reportCsp', (v: string) => violations.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          (window as unknown as { reportCsp: (v: string) => void }).reportCsp(
            `${e.violatedDirective} ${e.blockedURI}`,
          ),
        );
      });
      const res = await page.goto(base + '/');
      expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await page.locator('#login-demo-resident').click({ timeout: 30_000 });
      await page.locator('#home-page').waitFor({ timeout: 30_000 });
      await page.goto(base + '/#/pages/me/index');
      await page.locator('#me-page').waitFor({ timeout: 30_000 });
      // Logging out goes through /api/logout and back to the login page.
      await page.locator('#logout').click();
      await page.getByText('退出', { exact: true }).last().click();
      await page.locator('#login-page').waitFor({ timeout: 30_000 });
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  90_000,
);
