// The refund console as a person uses it: a real browser (test/helpers/browser: the system's chromium, else the one
// in @sparticuz/chromium, through playwright-core) opens the sandbox's console page, clicks "Refund in NetSuite" on
// the Shopify cash-sale order and the eBay refund on an eBay order, and watches both rows reach "posted" — checked
// against the simulated Shopify and the console's JSON.
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startSandbox, type SandboxHandle } from '../../../middleware/cli/sandbox-command';
import { SHOPIFY_SIM_DEFAULTS } from '../../../middleware/simulators/shopify';
import { launchBrowser } from '../../helpers/browser';

let sandbox: SandboxHandle;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startSandbox({ port: 0, memory: true }, { logToStderr: false }), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  // Script errors and CSP violations show up as page errors or console errors: the test fails on any.
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

const row = (platform: string, orderId: string): Locator => page.locator(`tr[data-platform="${platform}"][data-order-id="${orderId}"]`);

function sampleOrder(platform: string, billing: string) {
  const order = sandbox.ready.refunds.sampleOrders.find((o) => o.platform === platform && o.billing === billing);
  if (!order) throw new Error(`no ${platform} ${billing} sample order`);
  return order;
}

it('serves the console page as self-contained HTML under a restrictive Content-Security-Policy', async () => {
  const res = await fetch(`${sandbox.ready.refunds.consoleUrl}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  const html = await res.text();
  // No external assets: nothing is loaded from another origin.
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  // The JSON routes stay JSON; an order that is not a sample order is a 404 with a code.
  const unknown = await fetch(`${sandbox.ready.refunds.consoleUrl}/orders/shopify/404404/refunds`);
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('order_not_found');
});

it('lists every sample order with the one action its direction allows', async () => {
  await page.goto(`${sandbox.ready.refunds.consoleUrl}/`);
  await page.locator('tbody tr').nth(sandbox.ready.refunds.sampleOrders.length - 1).waitFor();
  expect(await page.locator('tbody tr').count()).toBe(sandbox.ready.refunds.sampleOrders.length);
  const shopify = sampleOrder('shopify', 'cash_sale');
  await expectTextAsync(row('shopify', shopify.orderId), /NetSuite → Shopify/);
  await expectTextAsync(row('shopify', shopify.orderId), new RegExp(`Sales order #${shopify.netsuite.salesOrderId}`));
  expect(await row('shopify', shopify.orderId).getByRole('button').allTextContents()).toEqual(['Refund in NetSuite']);
  const ebay = sampleOrder('ebay', 'cash_sale');
  expect(await row('ebay', ebay.orderId).getByRole('button').allTextContents()).toEqual(['Refund 1 × LB-STOVE on eBay']);
  // A deposit-only order has nothing to refund in NetSuite: the button is there but disabled, with the reason.
  const deposit = sampleOrder('magento', 'deposit');
  expect(await row('magento', deposit.orderId).getByRole('button', { name: 'Refund in NetSuite' }).isDisabled()).toBe(true);
  await expectTextAsync(row('magento', deposit.orderId), /no cash sale or invoice/);
});

it('a refund made in NetSuite from the page shows posted with the Shopify refund id, and Shopify has that refund', async () => {
  const order = sampleOrder('shopify', 'cash_sale');
  const tr = row('shopify', order.orderId);
  await tr.getByRole('button', { name: 'Refund in NetSuite' }).click();
  const posted = tr.locator('li[data-direction="outbound"][data-state="posted"]');
  await posted.waitFor({ timeout: 20_000 });
  const text = (await posted.textContent()) ?? '';
  const shopifyRefundId = /Shopify refund (\d+)/.exec(text)?.[1];
  expect(shopifyRefundId).toBeDefined();
  expect(text).toMatch(/NetSuite: cash refund #\d+, 99\.00 USD/);
  expect(text).toContain('posting → posted');
  // The id on the page is the refund the simulated Shopify really has (ids exceed 2^53: read the raw text).
  const res = await fetch(`${sandbox.ready.refunds.simulators.shopify?.url}/admin/api/2025-07/orders/${order.orderId}/refunds.json`, {
    headers: { 'x-shopify-access-token': SHOPIFY_SIM_DEFAULTS.accessToken },
  });
  expect(await res.text()).toContain(`"id":${shopifyRefundId},"order_id":${order.orderId}`);
  // Shopify's refunds/create webhook for that refund is shown as Ledgerbridge's own, not as a second refund.
  await expectTextAsync(tr.locator('li[data-echo]'), `reported refund ${shopifyRefundId} back: recognised as Ledgerbridge’s own`);
  expect(await tr.locator('li[data-state]').count()).toBe(1);
}, 30_000);

it('a refund made on eBay from the page shows posted with its NetSuite record, as the status endpoint reports', async () => {
  const order = sampleOrder('ebay', 'invoice_open');
  const tr = row('ebay', order.orderId);
  await tr.getByRole('button', { name: 'Refund 1 × LB-STOVE on eBay' }).click();
  const posted = tr.locator('li[data-direction="inbound"][data-state="posted"]');
  await posted.waitFor({ timeout: 20_000 });
  const status = (await (await fetch(`${sandbox.ready.refunds.consoleUrl}/orders/ebay/${order.orderId}/refunds`)).json()) as {
    refunds: Array<{ direction: string; state: string; storefrontRefundId: string; netsuite: { recordType: string; internalId: string; total: string; currency: string } }>;
  };
  expect(status.refunds).toHaveLength(1);
  const [refund] = status.refunds;
  expect(refund).toMatchObject({ direction: 'inbound', state: 'posted', netsuite: { recordType: 'creditmemo', total: '49.50', currency: 'USD' } });
  const text = (await posted.textContent()) ?? '';
  expect(text).toContain(`NetSuite: credit memo #${refund?.netsuite.internalId}, 49.50 USD`);
  expect(text).toContain(`eBay refund ${refund?.storefrontRefundId}`);

  const screenshot = path.join(os.tmpdir(), `ledgerbridge-refund-console-${process.pid}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`refund console screenshot: ${screenshot}`);
  expect(pageErrors).toEqual([]);
}, 30_000);

it('shows an action the platform refuses inline, next to its button', async () => {
  // Two refunds of 49.50 use up the eBay order (2 × 49.50); the page's third is refused by eBay.
  const order = sampleOrder('ebay', 'cash_sale');
  for (let i = 0; i < 2; i += 1) {
    const made = await fetch(`${sandbox.ready.refunds.consoleUrl}/orders/ebay/${order.orderId}/refund`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ledgerbridge-console-token': sandbox.ready.refunds.consoleToken },
      body: JSON.stringify({ amount: '49.50' }),
    });
    expect(made.status).toBe(201);
  }
  const tr = row('ebay', order.orderId);
  await tr.getByRole('button', { name: 'Refund 1 × LB-STOVE on eBay' }).click();
  await expectTextAsync(tr.getByRole('alert'), 'Could not refund: refund amount out of range');
});

// Small polling assertions (jest's expect does not wait for the page).
async function expectTextAsync(locator: Locator, want: RegExp | string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await locator.textContent()) ?? '';
    if (typeof want === 'string' ? text.includes(want) : want.test(text)) return;
    if (Date.now() > deadline) throw new Error(`expected ${String(want)} in: ${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
