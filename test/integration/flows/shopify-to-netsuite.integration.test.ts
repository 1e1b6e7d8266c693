// Shopify -> NetSuite through the whole stack: a refund made in the simulated Shopify admin fires a signed
// refunds/create webhook at the real middleware, which posts the matching NetSuite record in the local account over
// TBA-signed RESTlet calls, exactly once.
import { refundExternalId } from '../../../core/refunds';
import { recordsByExternalId, shopifyOrderInNetSuite, startStack, waitForState, type Stack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 30_000);
afterAll(async () => {
  await stack?.close();
});

const TENT = { sku: 'LB-TENT-2P', quantity: 1, price: '199.00' };
const STOVE = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };

async function refundAndWait(orderId: string, issue: Parameters<Stack['shopify']['issueRefund']>[1]) {
  const { refund, delivery } = await stack.shopify.issueRefund(orderId, issue);
  expect(delivery.status).toBe(202);
  const syncRecordId = JSON.parse(String((delivery as { responseBody?: string }).responseBody ?? 'null'))?.syncRecordId as string | undefined;
  const id = syncRecordId ?? (await latestRecordFor(String(refund.id)));
  const settled = await waitForState(stack, id, ['posted', 'failed', 'parked']);
  return { refundId: String(refund.id), syncRecordId: id, settled };
}

async function latestRecordFor(refundId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const rows = (await stack.mw.db.query<{ id: string; body: string }>(
      "select s.id, e.body from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where s.topic = 'refunds/create' order by s.created_at desc",
    )).rows;
    const row = rows.find((r) => r.body.includes(`"id":${refundId}`));
    if (row) return row.id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no sync record for refund ${refundId}`);
}

it('posts a cash refund for an order billed by cash sale, total = money refunded', async () => {
  const order = shopifyOrderInNetSuite(stack, { lines: [TENT, STOVE] }, 'cashsale');
  const { refundId, settled } = await refundAndWait(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });
  expect(settled).toMatchObject({ state: 'posted' });
  const ids = recordsByExternalId(stack.account, 'cashrefund', refundExternalId({ platform: 'shopify', account: stack.shopify.shopDomain, refundId }, 'cashrefund'));
  expect(ids).toHaveLength(1);
  const record = stack.account.engine.load('cashrefund', ids[0] as string);
  expect(record.fields.total).toBe('49.50');
  expect(record.fields.createdfrom).toBe(order.billingId);
});
