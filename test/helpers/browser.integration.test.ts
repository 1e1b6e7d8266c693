// The browser helper's fallback on every run: the Chromium inside @sparticuz/chromium with its bundled libraries
// (whatever the system has) loads a page over loopback HTTP and runs its script.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { findBrowser, launchBrowser, missingLibraries } from './browser';

let browser: Browser | undefined;
let server: http.Server | undefined;

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

it("runs the npm package's Chromium with its own libraries", async () => {
  const found = await findBrowser({ source: 'npm', bundledLibraries: true });
  expect(found.source).toBe('npm');
  expect(found.env.LD_LIBRARY_PATH).toBeDefined();
  expect(missingLibraries(found.executablePath, found.env.LD_LIBRARY_PATH)).toEqual([]);

  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>x</title><p id="out">waiting</p><script>document.getElementById('out').textContent = 'ran ' + (6 * 7) + ' ${req.url}';</script>`);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  browser = await launchBrowser({ source: 'npm', bundledLibraries: true });
  expect(browser.version()).toMatch(/^\d+\./);
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/check`);
  expect(await page.locator('#out').textContent()).toBe('ran 42 /check');
}, 120_000);

it('refuses an unknown forced source', async () => {
  await expect(findBrowser({ source: 'firefox' as never })).rejects.toThrow(/LEDGERBRIDGE_TEST_BROWSER must be/);
});
