import { buildRefundPosting, resolveRefundSettings } from '../../../../core/refunds';
import { createAmazonClient, mapRefundEvent, mapShipmentEventToOrder } from '../../../../middleware/connectors/amazon';
import { type AmazonSimulator, startAmazonSimulator } from '../../../../middleware/simulators/amazon';

const SETTINGS = { adjustmentItem: 'LB-REFUND-ADJ', shippingItem: 'LB-SHIPPING' };
const ACCOUNT = 'A1SELLERSANDBOX';

describe('Amazon simulator over real HTTP with the Amazon connector', () => {
  let sim: AmazonSimulator;
  let client: ReturnType<typeof createAmazonClient>;
  let orderId: string;

  beforeEach(async () => {
    sim = await startAmazonSimulator();
    client = createAmazonClient({ baseUrl: sim.url, accessToken: sim.accessToken, retries: 0 });
    orderId = [...sim.state.orders.keys()][0] as string;
  });
  afterEach(() => sim.close());

  it('refund events map to the money returned to the buyer, fees left to the settlement flow', async () => {
    sim.issueRefund(orderId, { items: [{ sku: 'USB-C-CABLE-2M', quantity: 2 }, { sku: 'edifier-p270-gold', quantity: 1 }], shipping: true, restockingFee: '3.00' });
    const events = await client.listFinancialEventsByOrderId(orderId);
    if (!events.ok) throw new Error(events.error.message);
    const order = mapShipmentEventToOrder(events.value.payload.FinancialEvents.ShipmentEventList?.[0] as never, ACCOUNT);
    expect(order.ok && order.value.lines.map((l) => [l.sku, l.quantity, l.amount, l.tax])).toEqual([
      ['edifier-p270-gold', 1, 3030, 231],
      ['USB-C-CABLE-2M', 3, 3243, 246],
    ]);
    const [event] = events.value.payload.FinancialEvents.RefundEventList ?? [];
    if (!event) throw new Error('no refund event');
    const refund = mapRefundEvent(event, ACCOUNT);
    if (!refund.ok) throw new Error(refund.error.message);
    expect(refund.value.refundId).toMatch(new RegExp(`^${orderId}:\\d{14}\\+\\d{14}$`));
    expect(refund.value.lines.map((l) => [l.sku, l.quantity, l.amount, l.tax])).toEqual([
      ['USB-C-CABLE-2M', 2, 2162, 164],
      ['edifier-p270-gold', 1, 3030, 231],
    ]);
    expect(refund.value.shipping).toEqual({ amount: 499, tax: 0 });
    expect(refund.value.adjustments).toEqual([{ amount: -300, reason: 'Restocking fee' }]);
    expect(refund.value.transactions).toEqual([{ id: null, amount: 2162 + 3030 + 499 - 300, status: 'success', gateway: 'amazon' }]);
    const posting = buildRefundPosting(refund.value, SETTINGS);
    expect(posting.ok && [posting.value.total, posting.value.difference]).toEqual([5391, 0]);
    // The same event always maps to the same refund id (it feeds the NetSuite externalId).
    expect(mapRefundEvent(event, ACCOUNT)).toEqual(refund);
  });

  it('finds refund events by polling posted dates, page by page with NextToken', async () => {
    sim.issueRefund(orderId, { items: [{ sku: 'USB-C-CABLE-2M', quantity: 1 }] });
    const eurOrder = [...sim.state.orders.keys()][1] as string;
    sim.issueRefund(eurOrder, { items: [{ sku: 'KAFFEE-500G', quantity: 1 }] });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const refunds: string[] = [];
    let r = await client.listFinancialEvents({ postedAfter: since, maxResultsPerPage: 1 });
    for (let pages = 0; pages < 10; pages += 1) {
      if (!r.ok) throw new Error(r.error.message);
      for (const e of r.value.payload.FinancialEvents.RefundEventList ?? []) {
        const m = mapRefundEvent(e, ACCOUNT);
        if (m.ok) refunds.push(`${m.value.orderId} ${m.value.currency} ${m.value.transactions[0]?.amount}`);
      }
      const next = r.value.payload.NextToken;
      if (!next) break;
      r = await client.listFinancialEvents({ nextToken: next });
    }
    expect(refunds).toEqual([`${orderId} USD 1081`, `${eurOrder} EUR 1336`]);
  });

  it('refuses what Amazon refuses, and Amazon refunds can only flow to NetSuite', async () => {
    const bad = createAmazonClient({ baseUrl: sim.url, accessToken: 'nope', retries: 0 });
    const denied = await bad.listFinancialEventsByOrderId(orderId);
    expect(!denied.ok && [denied.error.code, denied.error.status]).toEqual(['forbidden', 403]);
    const future = await client.listFinancialEvents({ postedAfter: new Date(Date.now() - 60_000).toISOString(), postedBefore: new Date().toISOString() });
    expect(!future.ok && future.error.code).toBe('provider_rejected');
    const direction = resolveRefundSettings({ platform: 'amazon', account: ACCOUNT, direction: 'netsuite_to_platform' });
    expect(!direction.ok && direction.error.code).toBe('direction_unsupported');
  });
});
