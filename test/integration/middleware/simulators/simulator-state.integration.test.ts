/**
 * Simulators with a state file (middleware/simulators/shared/state.ts), over real HTTP: what a client saw before a
 * restart it sees after it — orders, refunds, credit memos, financial events, ids past 2^53 as bare JSON numbers,
 * issued tokens — and the id sequences go on. Damaged, foreign and other-world files are refused, naming the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startAmazonSimulator } from '../../../../middleware/simulators/amazon';
import { startEbaySimulator } from '../../../../middleware/simulators/ebay';
import { startMagentoSimulator } from '../../../../middleware/simulators/magento';
import { startShopifySimulator } from '../../../../middleware/simulators/shopify';
import { SimulatorStateError } from '../../../../middleware/simulators/shared/state';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-sim-state-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const text = async (url: string, headers: Record<string, string>) => {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.text() };
};

it('Shopify: orders and refunds come back byte for byte, and new ids continue past the old ones', async () => {
  const stateFile = path.join(dir, 'shopify.json');
  const first = await startShopifySimulator({ stateFile, seedSampleOrders: false });
  expect(first.restored).toBe(false);
  const order = first.createOrder({ lines: [{ sku: 'MUG', quantity: 2, price: '12.50', taxRateBps: 600 }], shipping: '4.00' });
  await first.issueRefund(order.id, { lines: [{ sku: 'MUG', quantity: 1 }] });
  const headers = { 'x-shopify-access-token': first.accessToken };
  const before = await Promise.all([text(`${first.url}/admin/api/2025-07/orders/${order.id}.json`, headers), text(`${first.url}/admin/api/2025-07/orders/${order.id}/refunds.json`, headers)]);
  await first.close();
  expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600);

  const second = await startShopifySimulator({ stateFile, seedSampleOrders: true });
  try {
    expect(second.restored).toBe(true);
    // Restored: no sample orders were added, and the answers are the same text (64-bit ids stay bare numbers).
    expect([...second.state.orders.keys()]).toEqual([order.id]);
    const after = await Promise.all([text(`${second.url}/admin/api/2025-07/orders/${order.id}.json`, headers), text(`${second.url}/admin/api/2025-07/orders/${order.id}/refunds.json`, headers)]);
    expect(after).toEqual(before);
    expect(before[1]?.body).toMatch(/"id":9007199254\d{6}/);
    const next = second.createOrder({ lines: [{ sku: 'MUG', quantity: 1, price: '12.50' }] });
    expect(BigInt(next.id) > BigInt(order.id)).toBe(true);
    expect(next.name).toBe('#1002');
  } finally {
    await second.close();
  }
});

it('Magento: credit memos and the memo id sequence survive, so an entity_id poll cursor stays valid', async () => {
  const stateFile = path.join(dir, 'magento.json');
  const first = await startMagentoSimulator({ stateFile, seedSampleOrders: false });
  const order = first.createOrder({ lines: [{ sku: 'BAG', qty: 2, price: '34.00' }] });
  const memo1 = first.issueRefund(String(order.entityId), { items: [{ sku: 'BAG', qty: 1 }] });
  await first.close();

  const second = await startMagentoSimulator({ stateFile });
  try {
    const memo2 = second.issueRefund(String(order.entityId), { items: [{ sku: 'BAG', qty: 1 }] });
    expect([memo1.entity_id, memo2.entity_id]).toEqual([1, 2]);
    const res = await fetch(`${second.restUrl}/V1/creditmemos?searchCriteria[filter_groups][0][filters][0][field]=entity_id&searchCriteria[filter_groups][0][filters][0][value]=0&searchCriteria[filter_groups][0][filters][0][condition_type]=gt`, {
      headers: { authorization: `Bearer ${second.accessToken}` },
    });
    const body = (await res.json()) as { items: { entity_id: number; grand_total: number }[] };
    expect(body.items.map((m) => [m.entity_id, m.grand_total])).toEqual([[1, 34], [2, 34]]);
    // Both units are refunded now: a third memo is refused as Magento would.
    expect(() => second.issueRefund(String(order.entityId), { items: [{ sku: 'BAG', qty: 1 }] })).toThrow('must be positive');
  } finally {
    await second.close();
  }
});

it('eBay: a user token minted before the restart still works after it, and refunds with their lines are kept', async () => {
  const stateFile = path.join(dir, 'ebay.json');
  const first = await startEbaySimulator({ stateFile, seedSampleOrders: false });
  const order = first.createOrder({ lines: [{ sku: 'CAM', quantity: 1, price: '189.99' }, { sku: 'LENS', quantity: 1, price: '45.50' }] });
  first.issueRefund(order.orderId, { lines: [{ sku: 'LENS', amount: '45.50' }] });
  const minted = await fetch(`${first.url}/identity/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${first.clientId}:${first.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refreshToken }),
  });
  const token = ((await minted.json()) as { access_token: string }).access_token;
  const before = await text(`${first.url}/sell/fulfillment/v1/order/${order.orderId}`, { authorization: `Bearer ${token}` });
  expect(before.status).toBe(200);
  await first.close();

  const second = await startEbaySimulator({ stateFile });
  try {
    const after = await text(`${second.url}/sell/fulfillment/v1/order/${order.orderId}`, { authorization: `Bearer ${token}` });
    expect(after).toEqual(before);
    expect(JSON.parse(after.body).lineItems[1].refunds).toEqual([expect.objectContaining({ amount: { value: '45.50', currency: 'USD' } })]);
    expect(second.oauth.userMinted()).toBe(1);
    expect(second.createOrder({ lines: [{ sku: 'CAM', quantity: 1, price: '1.00' }] }).orderId).not.toBe(order.orderId);
  } finally {
    await second.close();
  }
});

it('Amazon: financial events and issued LWA tokens survive; a revoked refresh token stays revoked', async () => {
  const stateFile = path.join(dir, 'amazon.json');
  const first = await startAmazonSimulator({ stateFile, seedSampleOrders: false });
  const order = first.createOrder({ items: [{ sku: 'CABLE', quantity: 3, price: '9.99', tax: '0.82' }] });
  first.issueRefund(order.amazonOrderId, { items: [{ sku: 'CABLE', quantity: 1 }] });
  const lwa = (refreshToken: string, url: string) =>
    fetch(`${url}/auth/o2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: first.lwaClientId, client_secret: first.lwaClientSecret }),
    });
  const token = ((await (await lwa(first.refreshToken, first.url)).json()) as { access_token: string }).access_token;
  const before = await text(`${first.url}/finances/v0/orders/${order.amazonOrderId}/financialEvents`, { 'x-amz-access-token': token });
  first.revokeRefreshToken();
  await first.close();

  const second = await startAmazonSimulator({ stateFile });
  try {
    const after = await text(`${second.url}/finances/v0/orders/${order.amazonOrderId}/financialEvents`, { 'x-amz-access-token': token });
    expect(after).toEqual(before);
    expect(after.body).toContain('"CurrencyAmount":-9.99');
    expect((await lwa(second.refreshToken, second.url)).status).toBe(400);
    expect(second.minted()).toBe(1);
  } finally {
    await second.close();
  }
});

it('refuses a damaged file, another platform\'s file and a file of another world, naming the file', async () => {
  const file = path.join(dir, 'magento.json');
  fs.writeFileSync(file, '{"format": "ledgerbridge-simulator",');
  await expect(startMagentoSimulator({ stateFile: file })).rejects.toThrow(SimulatorStateError);
  await expect(startMagentoSimulator({ stateFile: file })).rejects.toThrow(`Simulator state file ${file}: it is not valid JSON`);

  const shopifyFile = path.join(dir, 'shopify.json');
  await (await startShopifySimulator({ stateFile: shopifyFile, stateTag: 'world-a' })).close();
  await expect(startAmazonSimulator({ stateFile: shopifyFile })).rejects.toThrow('it holds a simulated shopify, not amazon');
  await expect(startShopifySimulator({ stateFile: shopifyFile, stateTag: 'world-b' })).rejects.toThrow('it was written for "world-a", not "world-b"');
  const ok = await startShopifySimulator({ stateFile: shopifyFile, stateTag: 'world-a' });
  expect(ok.restored).toBe(true);
  await ok.close();

  const saved = JSON.parse(fs.readFileSync(shopifyFile, 'utf8')) as { state: Record<string, unknown> };
  fs.writeFileSync(shopifyFile, JSON.stringify({ ...saved, state: { ...saved.state, nextId: 7 } }));
  await expect(startShopifySimulator({ stateFile: shopifyFile, stateTag: 'world-a' })).rejects.toThrow('it is damaged: nextId and orderNumber are required');
});
