// Orders reaching NetSuite (issue 6 item 1), end to end over the real middleware and the local account: a Shopify
// orders/create webhook imported as a sales order billed by INVOICE (customer matched by email, lines by SKU,
// fulfilled, invoiced; a redelivery writes nothing new), a refund of it posted as a credit memo against that
// invoice; then the same channel switched to orders "synced by another connector", found through the configured
// body field: our import writes nothing and refunds post against the other connector's order.
import { orderExternalId, refundExternalId } from '../../../core/refunds';
import { api, netsuiteOrder, recordsByExternalId, startStack, syncRecordsByTopic, waitForState, type Stack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    shopifySettings: (seeded) => ({
      refunds: { orderImport: { enabled: true, billing: 'invoice', locationId: seeded.locations['Main Warehouse'] } },
    }),
  });
}, 30_000);
afterAll(async () => {
  await stack?.close();
});

async function settledRecords(topic: string, match: string): Promise<Array<{ id: string; state: string; state_code: string | null }>> {
  for (let i = 0; i < 200; i++) {
    const rows = (await syncRecordsByTopic(stack, stack.shopifyChannelId, topic)).filter((r) => r.body.includes(match));
    if (rows.length > 0) return Promise.all(rows.map(async (r) => ({ id: r.id, ...(await waitForState(stack, r.id, ['posted', 'failed', 'parked'])) })));
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
  expect(so.fields.entity).toBe(stack.seeded.customers['sandbox-cust-jane']);
  expect(so.fields.otherrefnum).toBe(sim.id);
  expect((so.sublists.item ?? []).map((l) => [l.item, l.quantity, l.amount])).toEqual([
    [stack.seeded.items['LB-TENT-2P'], 1, '199.00'],
    [stack.seeded.items['LB-STOVE'], 2, '99.00'],
    [stack.seeded.items.SHIPPING, 1, '9.95'],
  ]);
  const invoices = mainline('invoice', 'createdfrom', so.id);
  expect(invoices).toHaveLength(1);
  expect(mainline('cashsale', 'createdfrom', so.id)).toHaveLength(0);
  const invoice = stack.account.engine.load('invoice', invoices[0] as string);
  expect(invoice.fields.total).toBe('307.95');
  expect(invoice.fields.amountremaining).toBe('307.95');

  // orders/paid for the same order (a new event): found by externalId, nothing written twice.
  const again = await stack.shopify.deliverWebhook('orders/paid', stack.shopify.orderJson(sim));
  expect(again.status).toBe(202);
  await settledRecords('orders/paid', `"id":${sim.id},`);
  expect(recordsByExternalId(stack.account, 'salesorder', orderExternalId('shopify', stack.shopify.shopDomain, sim.id))).toHaveLength(1);
  expect(mainline('invoice', 'createdfrom', so.id)).toHaveLength(1);

  const { refund } = await stack.shopify.issueRefund(sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
  const [posted] = await settledRecords('refunds/create', `"id":${refund.id},`);
  expect(posted).toMatchObject({ state: 'posted' });
  const memos = recordsByExternalId(stack.account, 'creditmemo', ext(String(refund.id), 'creditmemo'));
  expect(memos).toHaveLength(1);
  expect(stack.account.engine.load('creditmemo', memos[0] as string).fields.total).toBe('49.50');
  // The invoice was open: the credit memo reduces what is due; no money is paid out.
  expect(stack.account.engine.load('invoice', invoice.id).fields.amountremaining).toBe('258.45');
  expect(recordsByExternalId(stack.account, 'customerrefund', ext(String(refund.id), 'customerrefund'))).toHaveLength(0);
  const lookup = await api(stack, 'GET', `/v1/lookup/${sim.id}`);
  expect(lookup.json.items.find((m: { kind: string }) => m.kind === 'order')).toMatchObject({ state: 'posted', netsuite: { recordType: 'salesorder', internalId: so.id, total: '307.95' } });
});

it('orders synced by another connector: found through the configured body field; our import writes nothing', async () => {
  const switched = await api(stack, 'PATCH', `/v1/channels/${stack.shopifyChannelId}`, {
    settings: { shopDomain: stack.shopify.shopDomain, refundDirection: 'platform_to_netsuite', refunds: { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' }, orderImport: { enabled: false } } },
  });
  expect(switched.status).toBe(200);
  const sim = stack.shopify.createOrder({ email: 'someone.new@example.test', lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] });
  // The other connector put the order in NetSuite (its own externalId, the Shopify id in otherrefnum), invoiced and paid.
  const theirs = netsuiteOrder(stack, sim.id, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'invoice', { paid: true });

  await stack.shopify.deliverWebhook('orders/create', stack.shopify.orderJson(sim));
  const [noted] = await settledRecords('orders/create', `"id":${sim.id},`);
  expect(noted).toMatchObject({ state: 'posted' });
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
});
