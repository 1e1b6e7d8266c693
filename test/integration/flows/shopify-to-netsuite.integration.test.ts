// Shopify -> NetSuite through the whole stack: refunds made in the simulated Shopify admin fire signed
// refunds/create webhooks at the real middleware (PGlite, pg-boss workers), which posts the NetSuite record that
// matches how the order was billed in the local account, over TBA-signed RESTlet calls, exactly once.
import { refundExternalId } from '../../../core/refunds';
import { api, recordsByExternalId, shopifyOrderInNetSuite, startStack, waitForState, type Stack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    shopifySettings: (seeded) => ({
      refunds: {
        nonRestockLocationId: seeded.locations['Returns Holding'],
        orderImport: { enabled: true, billing: 'cash_sale', locationId: seeded.locations['Main Warehouse'] },
      },
    }),
  });
}, 30_000);
afterAll(async () => {
  await stack?.close();
});

const TENT = { sku: 'LB-TENT-2P', quantity: 1, price: '199.00' };
const STOVE = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };
type Issue = Parameters<Stack['shopify']['issueRefund']>[1];

async function recordFor(refundId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const rows = (
      await stack.mw.db.query<{ id: string; body: string }>(
        "select s.id, e.body from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where s.topic = 'refunds/create' order by s.created_at",
      )
    ).rows;
    const row = rows.find((r) => r.body.includes(`"id":${refundId},`));
    if (row) return row.id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no sync record for refund ${refundId}`);
}

async function refundAndWait(orderId: string, issue: Issue, states = ['posted', 'failed', 'parked']) {
  const { refund, delivery } = await stack.shopify.issueRefund(orderId, issue);
  expect(delivery.status).toBe(202);
  const refundId = String(refund.id);
  const syncRecordId = await recordFor(refundId);
  const settled = await waitForState(stack, syncRecordId, states);
  return { refundId, syncRecordId, settled, delivery };
}

const ext = (refundId: string, kind: 'cashrefund' | 'creditmemo' | 'customerrefund') =>
  refundExternalId({ platform: 'shopify', account: stack.shopify.shopDomain, refundId }, kind);

function one(type: string, externalId: string) {
  const ids = recordsByExternalId(stack.account, type, externalId);
  expect(ids).toHaveLength(1);
  return stack.account.engine.load(type, ids[0] as string);
}

describe('the NetSuite record follows how the order was billed', () => {
  it('cash sale -> cash refund whose total is the money refunded; restock flags respected', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT, STOVE] }, 'cashsale');
    const { refundId, settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }, { sku: 'LB-TENT-2P', quantity: 1, restock: false }] });
    expect(settled.state).toBe('posted');
    const record = one('cashrefund', ext(refundId, 'cashrefund'));
    expect(record.fields.total).toBe('248.50');
    expect(record.fields.createdfrom).toBe(order.billingId);
    expect(record.fields.custbody_lb_platform_ref).toBe(`shopify:${refundId}`);
    const tent = record.sublists.item?.find((l) => l.item === stack.seeded.items['LB-TENT-2P']);
    const stove = record.sublists.item?.find((l) => l.item === stack.seeded.items['LB-STOVE']);
    expect(tent?.location).toBe(stack.seeded.locations['Returns Holding']);
    expect(stove?.location).toBe(stack.seeded.locations['Main Warehouse']);
  });

  it('open invoice -> credit memo applied to the invoice, no customer refund', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'invoice');
    const { refundId, settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 2 }] });
    expect(settled.state).toBe('posted');
    const memo = one('creditmemo', ext(refundId, 'creditmemo'));
    expect(memo.fields.total).toBe('99.00');
    expect(stack.account.engine.load('invoice', order.billingId as string).fields.amountremaining).toBe('0.00');
    expect(recordsByExternalId(stack.account, 'customerrefund', ext(refundId, 'customerrefund'))).toHaveLength(0);
  });

  it('paid invoice -> credit memo plus a customer refund paying it out', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'invoice_paid');
    const { refundId, settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    expect(settled.state).toBe('posted');
    const memo = one('creditmemo', ext(refundId, 'creditmemo'));
    const payout = one('customerrefund', ext(refundId, 'customerrefund'));
    expect(memo.fields.total).toBe('49.50');
    expect(payout.fields.total).toBe('49.50');
    expect(payout.sublists.apply?.find((l) => l.apply === true)?.doc).toBe(memo.id);
  });

  it('unbilled with a customer deposit -> customer refund of exactly the refunded amount against the deposit', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT] }, 'deposit', { depositAmount: '199.00' });
    const { refundId, settled } = await refundAndWait(order.sim.id, { lines: [], amount: '50.00' });
    expect(settled.state).toBe('posted');
    const payout = one('customerrefund', ext(refundId, 'customerrefund'));
    expect(payout.fields.total).toBe('50.00');
    expect(stack.account.engine.load('customerdeposit', order.billingId as string).fields.unapplied).toBe('149.00');
  });

  it('unbilled without a deposit -> an exception that says there is nothing to refund against', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT] }, 'none');
    const { settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-TENT-2P', quantity: 1 }] });
    expect(settled).toMatchObject({ state: 'failed', state_code: 'nothing_to_refund_against' });
  });
});

describe('amounts', () => {
  it('a partial refund of less money than the lines puts the difference on the adjustment item with its reason', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale');
    const { refundId } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }], amount: '40.00', note: 'kept a restocking fee' });
    const record = one('cashrefund', ext(refundId, 'cashrefund'));
    expect(record.fields.total).toBe('40.00');
    const adjustment = record.sublists.item?.find((l) => l.item === stack.seeded.items['REFUND-ADJUSTMENT']);
    expect(adjustment?.amount).toBe('-9.50');
    expect(String(adjustment?.description)).toContain('less money refunded than the lines by 9.50');
  });

  it('tax-inclusive EUR prices: the credit is the gross money refunded, in EUR', async () => {
    const order = shopifyOrderInNetSuite(stack, { currency: 'EUR', taxesIncluded: true, lines: [{ sku: 'LB-STOVE', quantity: 3, price: '45.00', taxRateBps: 1900 }] }, 'cashsale');
    const { refundId, settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 2 }] });
    expect(settled.state).toBe('posted');
    const record = one('cashrefund', ext(refundId, 'cashrefund'));
    expect(record.fields.total).toBe('90.00');
    expect(String(record.sublists.item?.[0]?.description)).toContain('includes tax 14.37');
  });

  it('JPY (no minor unit) with tax added: exact yen', async () => {
    const order = shopifyOrderInNetSuite(stack, { currency: 'JPY', lines: [{ sku: 'LB-STOVE', quantity: 3, price: '1800', taxRateBps: 1000 }] }, 'cashsale', { customer: 'cust-jp', customers: [{ externalId: 'cust-jp', firstName: 'Kenji', lastName: 'Tanaka', currency: 'JPY' }] });
    const { refundId } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    expect(one('cashrefund', ext(refundId, 'cashrefund')).fields.total).toBe('1980');
  });

  it('a shipping-only refund posts one line on the shipping item', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT], shipping: '9.95' }, 'cashsale');
    const { refundId } = await refundAndWait(order.sim.id, { lines: [], shipping: 'full' });
    const record = one('cashrefund', ext(refundId, 'cashrefund'));
    expect(record.fields.total).toBe('9.95');
    expect(record.sublists.item?.map((l) => l.item)).toEqual([stack.seeded.items.SHIPPING]);
  });

  it('a zero-amount refund with restock posts a zero cash refund (stock back); without restock nothing is written', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale');
    const restocked = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }], amount: '0' });
    expect(restocked.settled.state).toBe('posted');
    expect(one('cashrefund', ext(restocked.refundId, 'cashrefund')).fields.total).toBe('0.00');
    const nothing = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1, restock: false }], amount: '0' });
    expect(nothing.settled.state).toBe('posted');
    expect(recordsByExternalId(stack.account, 'cashrefund', ext(nothing.refundId, 'cashrefund'))).toHaveLength(0);
  });

  it('a 100-line refund posts every line and totals to the cent', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => ({ sku: i % 2 ? 'LB-STOVE' : 'LB-TENT-2P', quantity: 1, price: i % 2 ? '49.50' : '199.00', taxRateBps: 725 }));
    const order = shopifyOrderInNetSuite(stack, { lines }, 'cashsale');
    const { refundId, settled } = await refundAndWait(order.sim.id, { lines: lines.map((l) => ({ sku: l.sku, quantity: 1 })) }, ['posted', 'failed']);
    expect(settled).toMatchObject({ state: 'posted', state_message: null });
    const refunded = (stack.shopify.state.refunds.get(order.sim.id) ?? []).find((r) => String(r.id) === refundId) as { transactions: { amount: string }[] };
    const record = one('cashrefund', ext(refundId, 'cashrefund'));
    expect(record.fields.total).toBe(refunded.transactions[0]?.amount);
    expect(record.sublists.item?.length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

describe('observability', () => {
  it("/metrics counts the flow's real NetSuite calls", async () => {
    const calls = async () => {
      const text = await (await fetch(`${stack.mw.url}/metrics`)).text();
      const line = /^ledgerbridge_netsuite_calls_total\{operation="batch",outcome="ok"\} (\d+)$/m.exec(text);
      return line ? Number(line[1]) : 0;
    };
    const before = await calls();
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale');
    const { settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    expect(settled.state).toBe('posted');
    // Order link, billing lookups and the cash refund: at least three batch calls reached the local account.
    expect((await calls()) - before).toBeGreaterThanOrEqual(3);
  });
});

describe('exactly once', () => {
  it('10 concurrent duplicate deliveries and a redelivery days later (new event id) -> one NetSuite record', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale');
    stack.shopify.setWebhookUrl(undefined);
    const { refund, delivery } = await stack.shopify.issueRefund(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    stack.shopify.setWebhookUrl(`${stack.mw.url}/webhooks/shopify/${stack.shopifyChannelId}`);
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.shopify.redeliver(delivery)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    const refundId = String(refund.id);
    const first = await recordFor(refundId);
    await waitForState(stack, first, ['posted']);
    const later = await stack.shopify.deliverWebhook('refunds/create', refund);
    expect(later.status).toBe(202);
    const records = (await stack.mw.db.query<{ id: string }>("select s.id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.body like $1", [`%"id":${refundId},%`])).rows;
    expect(records).toHaveLength(2);
    for (const r of records) await waitForState(stack, r.id, ['posted']);
    expect(recordsByExternalId(stack.account, 'cashrefund', ext(refundId, 'cashrefund'))).toHaveLength(1);
  });
});

describe('orders that are not (or no longer) in NetSuite', () => {
  it('a refund that arrives before its order is parked, then posted when the order lands (orders/create import)', async () => {
    const sim = stack.shopify.createOrder({ lines: [TENT, STOVE], shipping: '9.95', email: 'new.buyer@example.test' });
    const { refundId, syncRecordId, settled } = await refundAndWait(sim.id, { lines: [{ sku: 'LB-TENT-2P', quantity: 1 }] });
    expect(settled).toMatchObject({ state: 'parked', state_code: 'order_not_synced' });
    const landed = await stack.shopify.deliverWebhook('orders/create', stack.shopify.orderJson(sim));
    expect(landed.status).toBe(202);
    await waitForState(stack, syncRecordId, ['posted']);
    const record = one('cashrefund', ext(refundId, 'cashrefund'));
    expect(record.fields.total).toBe('199.00');
    const lookup = await api(stack, 'GET', `/v1/lookup/${sim.id}`);
    const orderMatch = lookup.json.items.find((m: { kind: string }) => m.kind === 'order');
    expect(orderMatch).toMatchObject({ state: 'posted', netsuite: { recordType: 'salesorder', total: '307.95', currency: 'USD' } });
  });

  it('sweeps leave a refund waiting for its order alone (no history churn) and release it once the order lands', async () => {
    const sim = stack.shopify.createOrder({ lines: [STOVE] });
    const { refundId, syncRecordId, settled } = await refundAndWait(sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    expect(settled).toMatchObject({ state: 'parked', state_code: 'order_not_synced' });
    const history = async () => (await stack.mw.db.query<{ n: string }>('select count(*) as n from lb_sync_transitions where sync_record_id = $1', [syncRecordId])).rows[0]?.n;
    const before = await history();
    await stack.mw.refunds.sweep();
    await stack.mw.refunds.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(await history()).toBe(before);
    expect((await waitForState(stack, syncRecordId, ['parked'])).state).toBe('parked');
    // The order reaches NetSuite without us seeing it (no orders/create webhook): the next sweep finds it.
    shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale', { sim });
    const swept = await stack.mw.refunds.sweep();
    expect(swept.released).toBeGreaterThanOrEqual(1);
    await waitForState(stack, syncRecordId, ['posted']);
    expect(one('cashrefund', ext(refundId, 'cashrefund')).fields.total).toBe('49.50');
  });

  it('a parked refund older than the age limit becomes an exception', async () => {
    const sim = stack.shopify.createOrder({ lines: [STOVE] });
    const { syncRecordId, settled } = await refundAndWait(sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    expect(settled.state).toBe('parked');
    await stack.mw.db.query("update lb_sync_records set created_at = now() - interval '100 hours' where id = $1", [syncRecordId]);
    await stack.mw.refunds.sweep();
    expect(await waitForState(stack, syncRecordId, ['failed'])).toMatchObject({ state_code: 'order_never_synced' });
    const exceptions = await api(stack, 'GET', '/v1/exceptions');
    expect(exceptions.json.items.some((e: { syncRecord: { id: string } }) => e.syncRecord.id === syncRecordId)).toBe(true);
  });

  it('a refund whose NetSuite sales order was deleted becomes an exception saying so', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT] }, 'none');
    const first = await refundAndWait(order.sim.id, { lines: [], amount: '1.00' });
    expect(first.settled.state_code).toBe('nothing_to_refund_against');
    stack.account.ui.delete('salesorder', order.salesOrderId);
    const second = await refundAndWait(order.sim.id, { lines: [], amount: '2.00' });
    expect(second.settled).toMatchObject({ state: 'failed', state_code: 'netsuite_order_deleted' });
    expect(second.settled.state_message).toContain(`sales order ${order.salesOrderId}`);
    expect(second.settled.state_message).toContain('was deleted');
  });

  it('cancel keeps a parked refund from syncing; un-cancel syncs it once its order is there', async () => {
    const sim = stack.shopify.createOrder({ lines: [STOVE] });
    const { refundId, syncRecordId } = await refundAndWait(sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    const cancelled = await api(stack, 'POST', `/v1/sync-records/${syncRecordId}/cancel`, { reason: 'checking with the customer' });
    expect(cancelled).toMatchObject({ status: 200, json: { state: 'cancelled' } });
    await stack.shopify.deliverWebhook('orders/create', stack.shopify.orderJson(sim));
    await stack.mw.refunds.sweep();
    await new Promise((r) => setTimeout(r, 500));
    expect((await waitForState(stack, syncRecordId, ['cancelled'])).state).toBe('cancelled');
    expect(recordsByExternalId(stack.account, 'cashrefund', ext(refundId, 'cashrefund'))).toHaveLength(0);
    const uncancelled = await api(stack, 'POST', `/v1/sync-records/${syncRecordId}/uncancel`, {});
    expect(uncancelled.status).toBe(200);
    await waitForState(stack, syncRecordId, ['posted']);
    expect(recordsByExternalId(stack.account, 'cashrefund', ext(refundId, 'cashrefund'))).toHaveLength(1);
  });
});

describe('partner API', () => {
  it('looks a refund up by its Shopify id: state, history, NetSuite record type, internal id and total', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'invoice_paid');
    const { refundId } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 2 }] });
    const { status, json } = await api(stack, 'GET', `/v1/lookup/${refundId}`);
    expect(status).toBe(200);
    const match = json.items[0];
    const memo = one('creditmemo', ext(refundId, 'creditmemo'));
    expect(match).toMatchObject({ kind: 'refund', direction: 'inbound', state: 'posted', orderId: order.sim.id, netsuite: { recordType: 'creditmemo', internalId: memo.id, total: '99.00', currency: 'USD' } });
    expect(match.netsuite.records.map((r: { kind: string }) => r.kind)).toEqual(['creditmemo', 'customerrefund']);
    expect(match.history.map((h: { to: string }) => h.to)).toEqual(['received', 'queued', 'posting', 'posted']);
  });

  it('retrieve by order id imports refunds the webhooks missed, and refuses an order never synced', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale');
    stack.shopify.setWebhookUrl(undefined);
    const { refund } = await stack.shopify.issueRefund(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    stack.shopify.setWebhookUrl(`${stack.mw.url}/webhooks/shopify/${stack.shopifyChannelId}`);
    const res = await api(stack, 'POST', `/v1/channels/${stack.shopifyChannelId}/orders/${order.sim.id}/retrieve-refunds`);
    expect(res.status).toBe(200);
    expect(res.json.refunds).toEqual([{ refundId: String(refund.id), outcome: 'queued', syncRecordId: expect.any(String) }]);
    await waitForState(stack, res.json.refunds[0].syncRecordId, ['posted']);
    expect(recordsByExternalId(stack.account, 'cashrefund', ext(String(refund.id), 'cashrefund'))).toHaveLength(1);
    const again = await api(stack, 'POST', `/v1/channels/${stack.shopifyChannelId}/orders/${order.sim.id}/retrieve-refunds`);
    expect(again.json.refunds[0].outcome).toBe('already_known');

    const never = stack.shopify.createOrder({ lines: [STOVE] });
    const refused = await api(stack, 'POST', `/v1/channels/${stack.shopifyChannelId}/orders/${never.id}/retrieve-refunds`);
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'order_not_synced' } } });
    expect(refused.json.error.message).toContain('never synced');
  });

  it("why didn't this sync? names the first thing to fix, from real facts", async () => {
    const never = stack.shopify.createOrder({ lines: [STOVE] });
    stack.shopify.setWebhookUrl(undefined);
    const { refund } = await stack.shopify.issueRefund(never.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
    stack.shopify.setWebhookUrl(`${stack.mw.url}/webhooks/shopify/${stack.shopifyChannelId}`);
    const res = await api(stack, 'GET', `/v1/channels/${stack.shopifyChannelId}/orders/${never.id}/why-not?refundId=${refund.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ready: false, firstFailure: 'order_synced' });
    const byId = Object.fromEntries(res.json.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(byId).toMatchObject({ direction: 'pass', refund_readable: 'pass', refund_settled: 'pass', not_cancelled: 'pass', order_synced: 'fail', netsuite_order_exists: 'fail', skus_known: 'pass' });
    expect(res.json.checks.find((c: { id: string }) => c.id === 'order_synced').fix).toContain('Import the order');

    // A SKU NetSuite does not know, on an order that is in NetSuite: the answer names the SKU and what to do.
    const oddSim = stack.shopify.createOrder({ lines: [STOVE, { sku: 'LB-MYSTERY', quantity: 1, price: '5.00' }] });
    const odd = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale', { sim: oddSim });
    stack.shopify.setWebhookUrl(undefined);
    const { refund: oddRefund } = await stack.shopify.issueRefund(odd.sim.id, { lines: [{ sku: 'LB-MYSTERY', quantity: 1 }] });
    stack.shopify.setWebhookUrl(`${stack.mw.url}/webhooks/shopify/${stack.shopifyChannelId}`);
    const sku = await api(stack, 'GET', `/v1/channels/${stack.shopifyChannelId}/orders/${odd.sim.id}/why-not?refundId=${oddRefund.id}`);
    expect(sku.json).toMatchObject({ ready: false, firstFailure: 'skus_known' });
    const skuCheck = sku.json.checks.find((c: { id: string }) => c.id === 'skus_known');
    expect(skuCheck.detail).toContain('LB-MYSTERY');
    expect(skuCheck.fix).toContain('Create the item in NetSuite');

    const billed = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'cashsale');
    const ok = await api(stack, 'GET', `/v1/channels/${stack.shopifyChannelId}/orders/${billed.sim.id}/why-not`);
    expect(ok.json.checks.find((c: { id: string }) => c.id === 'billing')).toMatchObject({ status: 'pass', detail: expect.stringContaining('cash sale') });
  });

  it('refuses a channel set to sync refunds both ways, at create and at update', async () => {
    const both = { shopDomain: 'both-ways.myshopify.com', refunds: { importStorefrontRefunds: true, exportNetSuiteRefunds: true } };
    const created = await api(stack, 'POST', '/v1/channels', { kind: 'shopify', name: 'Both', settings: both });
    expect(created).toMatchObject({ status: 400, json: { error: { code: 'contradictory_settings' } } });
    expect(created.json.error.message).toContain('both ways');
    const updated = await api(stack, 'PATCH', `/v1/channels/${stack.shopifyChannelId}`, { settings: { shopDomain: stack.shopify.shopDomain, refundDirection: 'netsuite_to_platform', refunds: { importStorefrontRefunds: true } } });
    expect(updated).toMatchObject({ status: 400, json: { error: { code: 'contradictory_settings' } } });
  });
});
