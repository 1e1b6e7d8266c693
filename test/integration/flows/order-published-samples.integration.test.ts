// Shopify's published orders/create and orders/paid samples, signed with the channel secret and POSTed over HTTP
// to the real intake, imported into the local account by the compiled bundle. The samples as published are a
// cancelled, voided order: they end skipped. The same bodies with the cancellation lifted and another payment status
// (text replacements of the raw body, so 64-bit ids stay exact) import as a sales order whose total is total_price,
// one NetSuite record per step whatever the webhooks' order, and resume after a failure at the fulfillment step.
import { orderExternalId, orderRecordExternalId } from '../../../core/refunds';
import { defaultSandboxSeed, loadSeed, parseSeed } from '../../../emulator/seed';
import { shopifyWebhookSample, signedShopifyDelivery } from '../../fixtures/conformance/shopify-webhooks';
import { post } from '../middleware/harness';
import { api, recordsByExternalId, startStack, syncRecordState, waitForState, type Stack } from './stack';

let stack: Stack;
let main = '';
const SAMPLE_ITEMS = [
  { sku: 'SKU2006-001', name: 'Aviator sunglasses', type: 'inventory', price: '89.99', stock: [{ location: 'Main Warehouse', quantity: 40 }] },
  { sku: 'LENS-PROTECT-2YR', name: 'Lens Protection Plan (2 Year)', type: 'noninventory', price: '19.99' },
  { sku: 'CASE-LEATHER-PREM', name: 'Premium Leather Case', type: 'inventory', price: '24.99', stock: [{ location: 'Main Warehouse', quantity: 40 }] },
  { sku: 'SKU2006-020', name: 'Mid-century lounger', type: 'inventory', price: '159.99', stock: [{ location: 'Main Warehouse', quantity: 40 }] },
  { sku: 'SKU2006-035', name: 'Coffee table', type: 'inventory', price: '119.99', stock: [{ location: 'Main Warehouse', quantity: 40 }] },
  { sku: 'SALES-TAX', name: 'Sales tax', type: 'othercharge', price: '0.00' },
];
beforeAll(async () => {
  stack = await startStack({
    shopifySettings: (seeded) => ({
      refunds: { orderImport: { enabled: true, billing: 'cash_sale', defaultLocationId: seeded.locations['Main Warehouse'], discountItem: 'PROMO-10', taxItem: 'SALES-TAX' } },
    }),
  });
  main = stack.seeded.locations['Main Warehouse'] as string;
  // The items the published samples sell, and a tax item, in the local account.
  loadSeed(stack.account.engine, parseSeed({ items: SAMPLE_ITEMS }, defaultSandboxSeed()));
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const SAMPLE_ID = '820982911946154500';

/** The published body, its order id replaced (each test its own order) and, unless `asPublished`, not cancelled and in `status`. */
function sample(topic: 'orders/create' | 'orders/paid', orderId: string, status?: string): string {
  let body = shopifyWebhookSample(topic).replace(`"id": ${SAMPLE_ID},`, `"id": ${orderId},`);
  if (status) {
    body = body
      .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
      .replace('"cancel_reason": "customer"', '"cancel_reason": null')
      .replace('"financial_status": "voided"', `"financial_status": "${status}"`);
  }
  if (!body.includes(`"id": ${orderId},`)) throw new Error('the sample changed: its order id was not found');
  return body;
}

let events = 0;
async function deliver(topic: 'orders/create' | 'orders/paid', body: string): Promise<string> {
  events += 1;
  const headers = signedShopifyDelivery(stack.shopify.webhookSecret, body, { topic, shopDomain: stack.shopify.shopDomain, eventId: `evt-${Date.now()}-${events}` });
  const res = await post(`${stack.mw.url}/webhooks/shopify/${stack.shopifyChannelId}`, headers, body);
  expect(res.status).toBe(202);
  return res.json.syncRecordId as string;
}

const SETTLED = ['posted', 'skipped', 'failed', 'parked'];
const shop = () => stack.shopify.shopDomain;
const so = (orderId: string) => recordsByExternalId(stack.account, 'salesorder', orderExternalId('shopify', shop(), orderId));
const ful = (orderId: string) => recordsByExternalId(stack.account, 'itemfulfillment', orderRecordExternalId('shopify', shop(), orderId, 'itemfulfillment'));
const cash = (orderId: string) => recordsByExternalId(stack.account, 'cashsale', orderRecordExternalId('shopify', shop(), orderId, 'cashsale'));

it('the published samples (cancelled, voided) end skipped: nothing is written', async () => {
  for (const topic of ['orders/create', 'orders/paid'] as const) {
    const id = await deliver(topic, shopifyWebhookSample(topic));
    const settled = await waitForState(stack, id, SETTLED);
    expect(settled).toMatchObject({ state: 'skipped', state_code: 'order_cancelled' });
    expect(settled.state_message).toContain('was cancelled');
  }
  expect(so(SAMPLE_ID)).toHaveLength(0);
});

it('orders/create (pending) writes the sales order unbilled; orders/paid fulfils and bills it; a redelivery is skipped', async () => {
  const orderId = '820982911946160001';
  const created = await waitForState(stack, await deliver('orders/create', sample('orders/create', orderId, 'pending')), SETTLED);
  expect(created).toMatchObject({ state: 'posted', state_code: 'order_unbilled' });
  expect(created.state_message).toContain('is pending');
  const [soId] = so(orderId);
  const salesOrder = stack.account.engine.load('salesorder', soId as string);
  // total_price 404.95: the order's discount and the shipping discount are on their own lines.
  expect(salesOrder.fields.total).toBe('404.95');
  expect(salesOrder.fields.otherrefnum).toBe(orderId);
  expect(salesOrder.fields.location).toBe(main);
  expect((salesOrder.sublists.item ?? []).map((l) => [l.quantity, l.amount])).toEqual([
    [1, '89.99'],
    [1, '19.99'],
    [1, '24.99'],
    [1, '159.99'],
    [1, '119.99'],
    [1, '10.00'],
    [1, '-10.00'],
    [1, '-10.00'],
  ]);
  expect(ful(orderId)).toHaveLength(0);
  expect(cash(orderId)).toHaveLength(0);

  const paid = await waitForState(stack, await deliver('orders/paid', sample('orders/paid', orderId, 'paid')), SETTLED);
  expect(paid).toMatchObject({ state: 'posted', state_code: 'order_billed' });
  expect(so(orderId)).toEqual([soId]);
  expect(ful(orderId)).toHaveLength(1);
  const sales = cash(orderId);
  expect(sales).toHaveLength(1);
  expect(stack.account.engine.load('cashsale', sales[0] as string).fields.total).toBe('404.95');

  const again = await waitForState(stack, await deliver('orders/paid', sample('orders/paid', orderId, 'paid')), SETTLED);
  expect(again).toMatchObject({ state: 'skipped', state_code: 'already_in_netsuite' });
  expect(again.state_message).toContain(`already in NetSuite: sales order ${soId}`);
  expect([so(orderId).length, ful(orderId).length, cash(orderId).length]).toEqual([1, 1, 1]);
}, 30_000);

it('orders/create and orders/paid of a paid order arriving together: one record per step', async () => {
  const orderId = '820982911946160002';
  const ids = await Promise.all([deliver('orders/create', sample('orders/create', orderId, 'paid')), deliver('orders/paid', sample('orders/paid', orderId, 'paid'))]);
  const states = await Promise.all(ids.map((id) => waitForState(stack, id, SETTLED)));
  expect(states.map((s) => s.state).sort()).toEqual(expect.arrayContaining(['posted']));
  for (const s of states) expect(['posted', 'skipped']).toContain(s.state);
  expect([so(orderId).length, ful(orderId).length, cash(orderId).length]).toEqual([1, 1, 1]);
  expect(stack.account.engine.load('salesorder', so(orderId)[0] as string).fields.total).toBe('404.95');
}, 30_000);

it('a sales order left without a location stops at the fulfillment step, named; the retry resumes it once', async () => {
  const orderId = '820982911946160003';
  // An earlier import wrote the sales order (our externalId) and stopped: it has no location.
  const externalId = orderExternalId('shopify', shop(), orderId);
  const seeded = loadSeed(
    stack.account.engine,
    parseSeed(
      {
        items: SAMPLE_ITEMS,
        orders: [
          {
            externalId,
            storefrontOrderId: orderId,
            customer: 'sandbox-cust-jane',
            billing: 'none',
            fulfilled: false,
            lines: [
              { sku: 'SKU2006-001', quantity: 1, price: '89.99' },
              { sku: 'SKU2006-020', quantity: 1, price: '159.99' },
            ],
          },
        ],
      },
      defaultSandboxSeed(),
    ),
  ).orders[externalId];
  const soId = seeded?.salesOrder as string;
  stack.account.engine.submitFields('salesorder', soId, { location: null });

  const id = await deliver('orders/paid', sample('orders/paid', orderId, 'paid'));
  const failed = await waitForState(stack, id, SETTLED);
  expect(failed.state).toBe('failed');
  expect(failed.state_message).toContain('stopped at step fulfillment');
  expect(failed.state_message).toContain('Location');
  expect(failed.state_message).toContain(`sales order ${soId}`);
  const detail = await api(stack, 'GET', `/v1/sync-records/${id}`);
  expect(detail.json.attempts.at(-1).errorDetail).toMatchObject({ step: 'fulfillment', done: { sales_order: soId } });
  expect([so(orderId), ful(orderId).length, cash(orderId).length]).toEqual([[soId], 0, 0]);

  // The location is set on the sales order; a person retries the record.
  stack.account.engine.submitFields('salesorder', soId, { location: main });
  const retried = await api(stack, 'POST', `/v1/sync-records/${id}/retry`, {});
  expect(retried.status).toBe(200);
  const posted = await waitForState(stack, id, SETTLED);
  expect(posted).toMatchObject({ state: 'posted', state_code: 'order_billed' });
  expect([so(orderId), ful(orderId).length, cash(orderId).length]).toEqual([[soId], 1, 1]);
}, 30_000);

it('without any location the import stops before writing, naming the setting', async () => {
  const orderId = '820982911946160004';
  const patched = await api(stack, 'PATCH', `/v1/channels/${stack.shopifyChannelId}`, { settings: { refunds: { orderImport: { defaultLocationId: null } } } });
  expect(patched.status).toBe(200);
  try {
    const id = await deliver('orders/paid', sample('orders/paid', orderId, 'paid'));
    const settled = await waitForState(stack, id, SETTLED);
    expect(settled).toMatchObject({ state: 'failed', state_code: 'order_location_unknown' });
    expect(settled.state_message).toContain('settings.refunds.orderImport.defaultLocationId');
    expect(so(orderId)).toHaveLength(0);
  } finally {
    await api(stack, 'PATCH', `/v1/channels/${stack.shopifyChannelId}`, { settings: { refunds: { orderImport: { defaultLocationId: main } } } });
  }
}, 30_000);

it('with the order link on another connector\'s field, orders/paid ends skipped and writes nothing', async () => {
  const orderId = '820982911946160005';
  const patched = await api(stack, 'PATCH', `/v1/channels/${stack.shopifyChannelId}`, { settings: { refunds: { orderLink: { mode: 'external_field', fieldId: 'custbody_other_order_id' } } } });
  expect(patched.status).toBe(200);
  const id = await deliver('orders/paid', sample('orders/paid', orderId, 'paid'));
  const settled = await waitForState(stack, id, SETTLED);
  expect(settled).toMatchObject({ state: 'skipped', state_code: 'orders_from_other_connector' });
  expect(settled.state_message).toContain('orders on this channel come from another connector');
  expect(so(orderId)).toHaveLength(0);
  // A person can retry a skipped record; with the link unchanged it is skipped again.
  const retried = await api(stack, 'POST', `/v1/sync-records/${id}/retry`, {});
  expect(retried).toMatchObject({ status: 200, json: { state: 'queued' } });
  await new Promise((r) => setTimeout(r, 200));
  expect((await waitForState(stack, id, ['skipped'])).state_code).toBe('orders_from_other_connector');
  expect((await syncRecordState(stack, id)).state).toBe('skipped');
}, 30_000);
