// NetSuite -> Shopify: a cash refund or credit memo saved in the local account's UI for a synced order is pulled
// from the bundle's outbox, posted to the simulated Shopify store once (calculate + create), and the Shopify refund
// id is written back to the NetSuite record without echoing back in either direction.
import { startMagentoSimulator, type MagentoSimulator } from '../../../middleware/simulators/magento';
import { createShopifyClient } from '../../../middleware/connectors/shopify';
import { addChannel, netsuiteOrder, startStack, shopifyOrderInNetSuite, waitForState, type Stack } from './stack';

let stack: Stack;
let magento: MagentoSimulator;
let magentoChannelId: string;
const link = { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } };
/** The Shopify location the channel maps NetSuite's Main Warehouse to. */
const SHOPIFY_LOCATION = '655441491';
beforeAll(async () => {
  [stack, magento] = await Promise.all([
    startStack({
      shopifySettings: (seeded) => ({
        refundDirection: 'netsuite_to_platform',
        refunds: {
          ...link,
          nonRestockLocationId: seeded.locations['Returns Holding'],
          storefrontLocations: { [seeded.locations['Main Warehouse'] as string]: SHOPIFY_LOCATION },
        },
      }),
    }),
    startMagentoSimulator({ seedSampleOrders: false }),
  ]);
  // A second cart on the same NetSuite connection, also NetSuite -> cart (its default).
  magentoChannelId = await addChannel(stack, 'magento', { baseUrl: 'https://magento.example.test', refunds: link }, { accessToken: magento.accessToken }, magento.restUrl);
}, 30_000);
afterAll(async () => {
  await Promise.all([stack?.close(), magento?.close()]);
});

async function outboundRecord(recordType: string, recordId: string): Promise<string> {
  const row = (await stack.mw.db.query<{ sync_record_id: string }>("select sync_record_id from lb_refunds where direction = 'outbound' and source_key = $1", [`${recordType}:${recordId}`])).rows[0];
  if (!row) throw new Error(`no outbound refund for ${recordType} ${recordId}`);
  return row.sync_record_id;
}

async function outboundSyncRecordFor(recordType: string, recordId: string): Promise<string> {
  const row = (await stack.mw.db.query<{ id: string }>('select s.id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.platform_event_id = $1', [`netsuite:${recordType}:${recordId}`])).rows[0];
  if (!row) throw new Error('no sync record');
  return row.id;
}

it('a cash refund made in NetSuite is refunded on Shopify once, and the Shopify id is written back', async () => {
  const order = shopifyOrderInNetSuite(stack, { lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] }, 'cashsale');
  const cashRefundId = stack.account.ui.transform('cashsale', order.billingId as string, 'cashrefund', { fields: { memo: 'customer returned both stoves' } });

  const first = await stack.mw.refunds.sweep();
  expect(first.outbox).toMatchObject({ queued: 1, acked: 1 });
  const syncRecordId = await outboundSyncRecordFor('cashrefund', cashRefundId);
  await waitForState(stack, syncRecordId, ['posted']);
  expect(await outboundRecord('cashrefund', cashRefundId)).toBe(syncRecordId);

  const refunds = stack.shopify.state.refunds.get(order.sim.id) ?? [];
  expect(refunds).toHaveLength(1);
  const made = refunds[0] as { id: string; note: string; transactions: { amount: string; kind: string }[] };
  expect(made.transactions.map((t) => [t.kind, t.amount])).toEqual([['refund', '99.00']]);
  expect(made.note).toContain('[ledgerbridge:');
  expect(stack.account.engine.load('cashrefund', cashRefundId).fields.custbody_lb_platform_ref).toBe(`shopify:${made.id}`);

  // The write-back is the integration's own change: no new outbox event, so nothing is posted twice.
  const second = await stack.mw.refunds.sweep();
  expect(second.outbox.queued).toBe(0);
  // Shopify's refunds/create for the refund we made comes back in: recognised, nothing written to NetSuite.
  const echo = (await stack.mw.db.query<{ id: string }>("select s.id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where s.topic = 'refunds/create' and e.body like $1", [`%"id":${made.id},%`])).rows[0];
  expect(echo).toBeDefined();
  await waitForState(stack, (echo as { id: string }).id, ['posted']);
  const cashRefunds = stack.account.engine.search({ type: 'cashrefund', filters: [['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] });
  expect(cashRefunds).toHaveLength(1);
  expect(stack.shopify.state.refunds.get(order.sim.id)).toHaveLength(1);
});

it('a credit memo made in NetSuite for an invoiced order is refunded on Shopify for its total', async () => {
  const order = shopifyOrderInNetSuite(stack, { lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }] }, 'invoice_paid');
  const memoId = stack.account.ui.transform('invoice', order.billingId as string, 'creditmemo');
  await stack.mw.refunds.sweep();
  await waitForState(stack, await outboundSyncRecordFor('creditmemo', memoId), ['posted']);
  const refunds = stack.shopify.state.refunds.get(order.sim.id) as { id: string; transactions: { amount: string }[] }[];
  expect(refunds.map((r) => r.transactions[0]?.amount)).toEqual(['199.00']);
  expect(stack.account.engine.load('creditmemo', memoId).fields.custbody_lb_platform_ref).toBe(`shopify:${refunds[0]?.id}`);
});

it('a refund made on Shopify is not imported on a channel that syncs NetSuite -> Shopify, and says why', async () => {
  const order = shopifyOrderInNetSuite(stack, { lines: [{ sku: 'LB-STOVE', quantity: 1, price: '49.50' }] }, 'cashsale');
  const { refund } = await stack.shopify.issueRefund(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
  const row = await (async () => {
    for (let i = 0; i < 100; i++) {
      const r = (await stack.mw.db.query<{ id: string }>("select s.id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.body like $1", [`%"id":${refund.id},%`])).rows[0];
      if (r) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('no record');
  })();
  const settled = await waitForState(stack, row.id, ['failed', 'posted']);
  expect(settled).toMatchObject({ state: 'failed', state_code: 'direction_not_inbound' });
});

it('a cash refund made in NetSuite for a Magento order becomes one Magento credit memo for its total', async () => {
  const order = magento.createOrder({ lines: [{ sku: 'LB-STOVE', qty: 2, price: '49.50' }] });
  const ns = netsuiteOrder(stack, String(order.entityId), [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'cashsale');
  const cashRefundId = stack.account.ui.transform('cashsale', ns.billingId as string, 'cashrefund');
  await stack.mw.refunds.sweep();
  const syncRecordId = await outboundSyncRecordFor('cashrefund', cashRefundId);
  await waitForState(stack, syncRecordId, ['posted']);
  const channel = (await stack.mw.db.query<{ channel_id: string }>('select channel_id from lb_sync_records where id = $1', [syncRecordId])).rows[0];
  expect(channel?.channel_id).toBe(magentoChannelId);
  const memos = (await fetch(`${magento.restUrl}/V1/creditmemos?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=${order.entityId}&searchCriteria[filter_groups][0][filters][0][condition_type]=eq`, { headers: { authorization: `Bearer ${magento.accessToken}` } }).then((r) => r.json())) as { items: { entity_id: number; grand_total: number }[] };
  expect(memos.items.map((m) => m.grand_total)).toEqual([99]);
  expect(stack.account.engine.load('cashrefund', cashRefundId).fields.custbody_lb_platform_ref).toBe(`magento:${memos.items[0]?.entity_id}`);
  await stack.mw.refunds.sweep();
  expect(magento.state.orders.get(String(order.entityId))?.totalRefunded).toBe(9900);
});

/** A refund record made in the NetSuite UI from a billing record, its item lines edited before Save. */
function refundInUi(type: 'cashrefund' | 'creditmemo', fromType: string, fromId: string, edit: (lines: Record<string, unknown>[]) => Record<string, unknown>[]): string {
  const data = stack.account.engine.transform(fromType, fromId, type);
  data.sublists.item = edit((data.sublists.item ?? []) as Record<string, unknown>[]) as NonNullable<typeof data.sublists.item>;
  return stack.account.ui.save(data);
}

it('a partial cash refund made in NetSuite reaches Shopify with its lines: SKU -> line item, quantities, restock per line location', async () => {
  const order = shopifyOrderInNetSuite(stack, { lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }, { sku: 'LB-STOVE', quantity: 2, price: '49.50' }] }, 'cashsale');
  const items = stack.seeded.items;
  const returnsHolding = stack.seeded.locations['Returns Holding'];
  const main = stack.seeded.locations['Main Warehouse'];
  // The tent comes back damaged (to the holding location, not restocked); one stove goes back on the shelf.
  const cashRefundId = refundInUi('cashrefund', 'cashsale', order.billingId as string, (lines) =>
    lines.map((l) => (l.item === items['LB-TENT-2P'] ? { ...l, location: returnsHolding } : l.item === items['LB-STOVE'] ? { ...l, quantity: 1, location: main } : l)),
  );
  expect(stack.account.engine.load('cashrefund', cashRefundId).fields.total).toBe('248.50');
  await stack.mw.refunds.sweep();
  await waitForState(stack, await outboundSyncRecordFor('cashrefund', cashRefundId), ['posted']);
  // Read back through Shopify's API, as a merchant's tools would see it.
  const shopify = createShopifyClient({ baseUrl: stack.shopify.url, accessToken: stack.shopify.accessToken, timeoutMs: 5000 });
  const listed = await shopify.listRefunds(order.sim.id);
  if (!listed.ok) throw new Error(listed.error.message);
  expect(listed.value).toHaveLength(1);
  const made = listed.value[0] as (typeof listed.value)[number];
  const lineId = (sku: string) => order.sim.lines.find((l) => l.sku === sku)?.id;
  const lines = made.refund_line_items.map((l) => ({ line: l.line_item_id, quantity: l.quantity, restock: l.restock_type, location: l.location_id ?? null }));
  expect(lines).toEqual([
    { line: lineId('LB-TENT-2P'), quantity: 1, restock: 'no_restock', location: null },
    { line: lineId('LB-STOVE'), quantity: 1, restock: 'return', location: SHOPIFY_LOCATION },
  ]);
  expect(made.transactions.map((t) => t.amount)).toEqual(['248.50']);
  // Shopify took the calculate step: the stove line's remaining unit is still refundable, the tent is not.
  const sim = stack.shopify.state.orders.get(order.sim.id);
  expect(sim?.lines.map((l) => [l.sku, l.refundedQuantity])).toEqual([['LB-TENT-2P', 1], ['LB-STOVE', 1]]);
});

it('a cash refund with a restocking fee made in NetSuite becomes a Magento credit memo with its items and the fee as adjustment', async () => {
  const order = magento.createOrder({ lines: [{ sku: 'LB-TENT-2P', qty: 1, price: '199.00' }, { sku: 'LB-STOVE', qty: 2, price: '49.50' }] });
  const ns = netsuiteOrder(stack, String(order.entityId), [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }, { sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'cashsale');
  const items = stack.seeded.items;
  const cashRefundId = refundInUi('cashrefund', 'cashsale', ns.billingId as string, (lines) => [
    ...lines.filter((l) => l.item === items['LB-STOVE']).map((l) => ({ ...l, quantity: 1 })),
    { item: items['REFUND-ADJUSTMENT'], quantity: 1, rate: '-5.00', description: 'restocking fee' },
  ]);
  expect(stack.account.engine.load('cashrefund', cashRefundId).fields.total).toBe('44.50');
  await stack.mw.refunds.sweep();
  await waitForState(stack, await outboundSyncRecordFor('cashrefund', cashRefundId), ['posted']);
  const memos = [...magento.state.creditMemos.values()].filter((m) => String(m.order_id) === String(order.entityId)) as Array<{ grand_total: unknown; adjustment_negative: unknown; items: Array<{ sku: string; qty: number }> }>;
  expect(memos).toHaveLength(1);
  const memo = memos[0] as (typeof memos)[number];
  expect(memo.items.map((i) => [i.sku, i.qty])).toEqual([['LB-STOVE', 1]]);
  expect(String(memo.grand_total)).toBe('44.5');
  expect(String(memo.adjustment_negative)).toBe('5');
  expect(magento.state.orders.get(String(order.entityId))?.items.map((i) => [i.sku, i.qtyRefunded])).toEqual([['LB-TENT-2P', 0], ['LB-STOVE', 1]]);
});
