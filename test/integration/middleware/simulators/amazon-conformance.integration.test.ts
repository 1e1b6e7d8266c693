/**
 * The Amazon simulator's Finances v0 answers have the envelope of Amazon's published sandbox responses
 * (test/fixtures/conformance/amazon): `payload` holding `FinancialEvents` (and `NextToken` while there are more
 * pages), each event list an array. Amazon's sandbox holds none of the two event lists the connector reads, so
 * those are compared with what financesV0.json names instead: every key the simulator sends there is a property
 * of ShipmentEvent / ShipmentItem in the model.
 */
import { startAmazonSimulator, type AmazonSimulator } from '../../../../middleware/simulators/amazon';
import { parseJsonSafe } from '../../../../middleware/lib/safe-json';
import { jsonKind, loadConformance, shapeDifferences } from '../../../fixtures/conformance/load';

type Obj = Record<string, unknown>;

/** ShipmentEvent and ShipmentItem property names in financesV0.json (commit in the fixtures README). */
const SHIPMENT_EVENT_PROPERTIES = new Set(['AmazonOrderId', 'SellerOrderId', 'MarketplaceName', 'StoreName', 'OrderChargeList', 'OrderChargeAdjustmentList', 'ShipmentFeeList', 'ShipmentFeeAdjustmentList', 'OrderFeeList', 'OrderFeeAdjustmentList', 'DirectPaymentList', 'PostedDate', 'ShipmentItemList', 'ShipmentItemAdjustmentList']);
const SHIPMENT_ITEM_PROPERTIES = new Set(['SellerSKU', 'OrderItemId', 'OrderAdjustmentItemId', 'QuantityShipped', 'ItemChargeList', 'ItemChargeAdjustmentList', 'ItemFeeList', 'ItemFeeAdjustmentList', 'ItemTaxWithheldList', 'PromotionList', 'PromotionAdjustmentList', 'CostOfPointsGranted', 'CostOfPointsReturned']);

describe('Amazon simulator Finances v0 answers have the published envelope', () => {
  let sim: AmazonSimulator;
  beforeEach(async () => {
    sim = await startAmazonSimulator();
  });
  afterEach(() => sim.close());

  async function get(path: string): Promise<Obj> {
    const res = await fetch(`${sim.url}${path}`, { headers: { 'x-amz-access-token': sim.accessToken } });
    expect(res.status).toBe(200);
    return parseJsonSafe(await res.text(), 64) as Obj;
  }

  it('listFinancialEventsByOrderId: payload.FinancialEvents with arrays, events named as the model names them', async () => {
    const [order] = sim.state.orders.values();
    const sku = order?.items[0]?.sku;
    if (!order || !sku) throw new Error('no seeded order');
    sim.issueRefund(order.amazonOrderId, { items: [{ sku, quantity: 1 }] });
    const body = await get(`/finances/v0/orders/${order.amazonOrderId}/financialEvents`);
    const sample = loadConformance('amazon', 'finances-v0', 'listFinancialEventsByOrderId.200.json') as Obj;
    const levels = new Map<string, string[]>([
      ['', ['payload']],
      ['payload', ['FinancialEvents']],
    ]);
    expect(shapeDifferences([sample], body, levels)).toEqual([]);
    const events = (body.payload as Obj).FinancialEvents as Obj;
    for (const list of Object.values(events)) expect(jsonKind(list)).toBe('array');
    const all = [...((events.ShipmentEventList as Obj[]) ?? []), ...((events.RefundEventList as Obj[]) ?? [])];
    expect(all.length).toBeGreaterThan(1);
    for (const event of all) {
      expect(Object.keys(event).filter((k) => !SHIPMENT_EVENT_PROPERTIES.has(k))).toEqual([]);
      for (const item of [...((event.ShipmentItemList as Obj[]) ?? []), ...((event.ShipmentItemAdjustmentList as Obj[]) ?? [])]) {
        expect(Object.keys(item).filter((k) => !SHIPMENT_ITEM_PROPERTIES.has(k))).toEqual([]);
      }
    }
  });
});
