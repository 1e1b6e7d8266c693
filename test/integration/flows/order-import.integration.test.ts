// Orders reaching NetSuite, end to end over the real middleware and the local account: a Shopify
// orders/create webhook imported as a sales order billed by INVOICE (customer matched by email, lines by SKU,
// fulfilled, invoiced; a redelivery writes nothing new), a refund of it posted as a credit memo against that
// invoice; then the same channel switched to orders "synced by another connector", found through the configured
// body field: our import writes nothing and refunds post against the other connector's order.
import { orderExternalId, refundExternalId } from '../../../core/refunds';
import { startMagentoSimulator, type MagentoSimulator } from '../../../middleware/simulators/magento';
import { startEbaySimulator, type EbaySimulator } from '../../../middleware/simulators/ebay';
import { startAmazonSimulator, type AmazonSimulator } from '../../../middleware/simulators/amazon';
import { IMPORTED_REFUND_TOPIC, ORDER_IMPORT_TOPIC } from '../../../middleware/flows/refunds/sources';
import { defaultSandboxSeed, loadSeed, parseSeed } from '../../../emulator/seed';
import { addChannel, api, netsuiteOrder, recordsByExternalId, startStack, syncRecordsByTopic, waitForState, type Stack } from './stack';

let stack: Stack;
let magento: MagentoSimulator;
let ebay: EbaySimulator;
let amazon: AmazonSimulator;
const channels = { magento: '', ebay: '', amazon: '' };
let taxItemId = '';
beforeAll(async () => {
  [stack, magento, ebay, amazon] = await Promise.all([
    startStack({
      shopifySettings: (seeded) => ({
        refunds: { orderImport: { enabled: true, billing: 'invoice', locationId: seeded.locations['Main Warehouse'] } },
      }),
    }),
    startMagentoSimulator({ seedSampleOrders: false }),
    startEbaySimulator({ seedSampleOrders: false }),
    startAmazonSimulator({ seedSampleOrders: false }),
  ]);
  const main = stack.seeded.locations['Main Warehouse'];
  channels.magento = await addChannel(stack, 'magento', { baseUrl: 'https://magento.example.test', refundDirection: 'platform_to_netsuite', refunds: { orderImport: { enabled: true, billing: 'cash_sale', locationId: main } } }, { accessToken: magento.accessToken }, magento.restUrl);
  channels.ebay = await addChannel(stack, 'ebay', { refunds: { orderImport: { enabled: true, billing: 'invoice', locationId: main } } }, { clientSecret: ebay.accessToken }, ebay.url);
  channels.amazon = await addChannel(stack, 'amazon', { marketplaceId: 'ATVPDKIKX0DER', sellerId: 'A1SELLER', refunds: { orderImport: { enabled: true, billing: 'cash_sale', defaultLocationId: main, taxItem: 'SALES-TAX' } } }, { refreshToken: amazon.accessToken }, amazon.url);
  // The item the Amazon order's tax is posted on.
  taxItemId = loadSeed(stack.account.engine, parseSeed({ items: [{ sku: 'SALES-TAX', name: 'Sales tax', type: 'othercharge', price: '0.00' }] }, defaultSandboxSeed())).items['SALES-TAX'] as string;
}, 60_000);
afterAll(async () => {
  await Promise.all([stack?.close(), magento?.close(), ebay?.close(), amazon?.close()]);
});

async function settledRecords(topic: string, match: string, channelId = stack.shopifyChannelId, states = ['posted', 'failed', 'parked']): Promise<Array<{ id: string; state: string; state_code: string | null }>> {
  for (let i = 0; i < 200; i++) {
    const rows = (await syncRecordsByTopic(stack, channelId, topic)).filter((r) => r.body.includes(match));
    if (rows.length > 0) return Promise.all(rows.map(async (r) => ({ id: r.id, ...(await waitForState(stack, r.id, states)) })));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${topic} record matching ${match}`);
}

const ext = (refundId: string, kind: 'cashrefund' | 'creditmemo' | 'customerrefund') => refundExternalId({ platform: 'shopify', account: stack.shopify.shopDomain, refundId }, kind);
const mainline = (type: string, field: string, value: string) =>
  stack.account.engine.search({ type, filters: [[field, 'anyof', value], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).map((r) => String(r.id));

it('imports a Shopify order as a sales order billed by invoice, once, and posts its refund as a credit memo on the invoice', async () => {
  const sim = stack.shopify.createOrder({ email: 'jane.doe@example.test', lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }, { sku: 'LB-STOVE', quantity: 2, price: '49.50' }], shipping: '9.95' });
  const delivered = await stack.shopify.deliverWebhook('orders/create', stack.shopify.orderJson(sim));
  expect(delivered.status).toBe(202);
  const [imported] = await settledRecords('orders/create', `"id":${sim.id},`);
  expect(imported).toMatchObject({ state: 'posted' });

  const soIds = recordsByExternalId(stack.account, 'salesorder', orderExternalId('shopify', stack.shopify.shopDomain, sim.id));
  expect(soIds).toHaveLength(1);
  const so = stack.account.engine.load('salesorder', soIds[0] as string);
  const soId = so.id as string;
  expect(so.fields.entity).toBe(stack.seeded.customers['sandbox-cust-jane']);
  expect(so.fields.otherrefnum).toBe(sim.id);
  expect((so.sublists.item ?? []).map((l) => [l.item, l.quantity, l.amount])).toEqual([
    [stack.seeded.items['LB-TENT-2P'], 1, '199.00'],
    [stack.seeded.items['LB-STOVE'], 2, '99.00'],
    [stack.seeded.items.SHIPPING, 1, '9.95'],
  ]);
  const invoices = mainline('invoice', 'createdfrom', soId);
  expect(invoices).toHaveLength(1);
  expect(mainline('cashsale', 'createdfrom', soId)).toHaveLength(0);
  const invoice = stack.account.engine.load('invoice', invoices[0] as string);
  expect(invoice.fields.total).toBe('307.95');
  expect(invoice.fields.amountremaining).toBe('307.95');

  // orders/paid for the same order (a new event): found by externalId, nothing written twice.
  const again = await stack.shopify.deliverWebhook('orders/paid', stack.shopify.orderJson(sim));
  expect(again.status).toBe(202);
  const [paid] = await settledRecords('orders/paid', `"id":${sim.id},`, stack.shopifyChannelId, ['posted', 'skipped', 'failed', 'parked']);
  expect(paid).toMatchObject({ state: 'skipped', state_code: 'already_in_netsuite' });
  expect(recordsByExternalId(stack.account, 'salesorder', orderExternalId('shopify', stack.shopify.shopDomain, sim.id))).toHaveLength(1);
  expect(mainline('invoice', 'createdfrom', soId)).toHaveLength(1);

  const { refund } = await stack.shopify.issueRefund(sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
  const [posted] = await settledRecords('refunds/create', `"id":${refund.id},`);
  expect(posted).toMatchObject({ state: 'posted' });
  const memos = recordsByExternalId(stack.account, 'creditmemo', ext(String(refund.id), 'creditmemo'));
  expect(memos).toHaveLength(1);
  expect(stack.account.engine.load('creditmemo', memos[0] as string).fields.total).toBe('49.50');
  // The invoice was open: the credit memo reduces what is due; no money is paid out.
  expect(stack.account.engine.load('invoice', invoice.id as string).fields.amountremaining).toBe('258.45');
  expect(recordsByExternalId(stack.account, 'customerrefund', ext(String(refund.id), 'customerrefund'))).toHaveLength(0);
  const lookup = await api(stack, 'GET', `/v1/lookup/${sim.id}`);
  expect(lookup.json.items.find((m: { kind: string }) => m.kind === 'order')).toMatchObject({ state: 'posted', netsuite: { recordType: 'salesorder', internalId: so.id, total: '307.95' } });
}, 30_000);

it('orders synced by another connector: found through the configured body field; our import writes nothing', async () => {
  const switched = await api(stack, 'PATCH', `/v1/channels/${stack.shopifyChannelId}`, {
    settings: { shopDomain: stack.shopify.shopDomain, refundDirection: 'platform_to_netsuite', refunds: { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' }, orderImport: { enabled: false } } },
  });
  expect(switched.status).toBe(200);
  const sim = stack.shopify.createOrder({ email: 'someone.new@example.test', lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] });
  const refused = await api(stack, 'POST', `/v1/channels/${stack.shopifyChannelId}/orders/${sim.id}/import`);
  expect(refused).toMatchObject({ status: 409, json: { error: { code: 'order_import_disabled' } } });
  // The other connector put the order in NetSuite (its own externalId, the Shopify id in otherrefnum), invoiced and paid.
  const theirs = netsuiteOrder(stack, sim.id, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'invoice', { paid: true });

  await stack.shopify.deliverWebhook('orders/create', stack.shopify.orderJson(sim));
  const [noted] = await settledRecords('orders/create', `"id":${sim.id},`, stack.shopifyChannelId, ['posted', 'skipped', 'failed', 'parked']);
  // Nothing was written: the record says so (skipped, with the reason), it is not "posted".
  expect(noted).toMatchObject({ state: 'skipped', state_code: 'orders_from_other_connector' });
  expect(recordsByExternalId(stack.account, 'salesorder', orderExternalId('shopify', stack.shopify.shopDomain, sim.id))).toHaveLength(0);
  expect(stack.account.engine.search({ type: 'salesorder', filters: [['otherrefnum', 'is', sim.id], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).map((r) => String(r.id))).toEqual([theirs.salesOrderId]);

  const { refund } = await stack.shopify.issueRefund(sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 2 }] });
  const [posted] = await settledRecords('refunds/create', `"id":${refund.id},`);
  expect(posted).toMatchObject({ state: 'posted' });
  const memo = stack.account.engine.load('creditmemo', recordsByExternalId(stack.account, 'creditmemo', ext(String(refund.id), 'creditmemo'))[0] as string);
  expect(memo.fields.createdfrom).toBe(theirs.billingId);
  expect(memo.fields.total).toBe('99.00');
  // Their invoice was paid: the money goes back through a customer refund applying the credit memo.
  const payout = recordsByExternalId(stack.account, 'customerrefund', ext(String(refund.id), 'customerrefund'));
  expect(payout).toHaveLength(1);
  const lookup = await api(stack, 'GET', `/v1/lookup/${refund.id}`);
  expect(lookup.json.items[0]).toMatchObject({ kind: 'refund', state: 'posted', netsuite: { recordType: 'creditmemo', internalId: memo.id, total: '99.00' } });
  expect((await api(stack, 'GET', `/v1/lookup/${sim.id}`)).json.items.find((m: { kind: string }) => m.kind === 'order')).toMatchObject({ netsuite: { recordType: 'salesorder', internalId: theirs.salesOrderId } });
}, 30_000);

describe('marketplace and Magento orders (no order events): imported when a refund comes first, or on demand', () => {
  it('Magento: a polled credit memo of an order not in NetSuite imports the order (cash sale), then posts as a cash refund', async () => {
    const order = magento.createOrder({ lines: [{ sku: 'LB-STOVE', qty: 2, price: '49.50' }] });
    const orderId = String(order.entityId);
    magento.issueRefund(orderId, { items: [{ sku: 'LB-STOVE', qty: 1 }] });
    await stack.mw.refunds.sweep();
    const [refund] = await settledRecords(IMPORTED_REFUND_TOPIC, `"orderId":"${orderId}"`, channels.magento, ['posted', 'failed']);
    expect(refund).toMatchObject({ state: 'posted' });
    const [imported] = await settledRecords(ORDER_IMPORT_TOPIC, `"orderId":"${orderId}"`, channels.magento);
    expect(imported).toMatchObject({ state: 'posted' });
    const so = recordsByExternalId(stack.account, 'salesorder', orderExternalId('magento', channels.magento, orderId));
    expect(so).toHaveLength(1);
    expect(mainline('cashsale', 'createdfrom', so[0] as string)).toHaveLength(1);
    const orderMatch = (await api(stack, 'GET', `/v1/lookup/${orderId}?channelId=${channels.magento}`)).json.items.find((m: { kind: string }) => m.kind === 'order');
    expect(orderMatch).toMatchObject({ netsuite: { recordType: 'salesorder', internalId: so[0] } });
    const refunds = (await stack.mw.db.query<{ netsuite_record_type: string; total_minor: string | number }>('select netsuite_record_type, total_minor from lb_refunds where channel_id = $1 and order_id = $2', [channels.magento, orderId])).rows;
    expect(refunds.map((r) => [r.netsuite_record_type, Number(r.total_minor)])).toEqual([['cashrefund', 4950]]);
  }, 30_000);

  it('eBay: a refund of an order not in NetSuite imports the order billed by invoice, then posts a credit memo on it', async () => {
    const order = ebay.createOrder({ lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }] });
    ebay.issueRefund(order.orderId, { lines: [{ sku: 'LB-TENT-2P', amount: '199.00' }] });
    await stack.mw.refunds.sweep();
    const [refund] = await settledRecords(IMPORTED_REFUND_TOPIC, `"orderId":"${order.orderId}"`, channels.ebay, ['posted', 'failed']);
    expect(refund).toMatchObject({ state: 'posted' });
    const so = recordsByExternalId(stack.account, 'salesorder', orderExternalId('ebay', channels.ebay, order.orderId));
    expect(so).toHaveLength(1);
    const invoices = mainline('invoice', 'createdfrom', so[0] as string);
    expect(invoices).toHaveLength(1);
    const memo = mainline('creditmemo', 'createdfrom', invoices[0] as string);
    expect(memo).toHaveLength(1);
    expect(stack.account.engine.load('creditmemo', memo[0] as string).fields.total).toBe('199.00');
  }, 30_000);

  it('Amazon: import one order on demand through the partner API, once', async () => {
    const order = amazon.createOrder({ items: [{ sku: 'LB-STOVE', quantity: 1, price: '49.50', tax: '4.00' }] });
    const first = await api(stack, 'POST', `/v1/channels/${channels.amazon}/orders/${order.amazonOrderId}/import`);
    expect(first).toMatchObject({ status: 202, json: { orderId: order.amazonOrderId, outcome: 'queued' } });
    expect((await waitForState(stack, first.json.syncRecordId, ['posted', 'failed'])).state).toBe('posted');
    const so = recordsByExternalId(stack.account, 'salesorder', orderExternalId('amazon', 'A1SELLER', order.amazonOrderId));
    expect(so).toHaveLength(1);
    const salesOrder = stack.account.engine.load('salesorder', so[0] as string);
    expect(salesOrder.fields.total).toBe('53.50');
    // The tax on its own line, on the channel's tax item.
    expect((salesOrder.sublists.item ?? []).map((l) => [l.item, l.amount])).toEqual([
      [stack.seeded.items['LB-STOVE'], '49.50'],
      [taxItemId, '4.00'],
    ]);
    const again = await api(stack, 'POST', `/v1/channels/${channels.amazon}/orders/${order.amazonOrderId}/import`);
    expect(again).toMatchObject({ status: 202, json: { outcome: 'already_known', syncRecordId: first.json.syncRecordId } });
    const missing = await api(stack, 'POST', `/v1/channels/${channels.magento}/orders/999999/import`);
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.json.error.code).toBe('platform_order_not_found');
  }, 30_000);
});
