import { explainWhyNotSynced } from '../../../../core/refunds';
import type { RefundSyncRecordFact, WhyNotFacts } from '../../../../core/refunds';

const ready: WhyNotFacts = {
  platform: 'shopify',
  account: 'shop1',
  direction: 'platform_to_netsuite',
  origin: 'storefront',
  refundState: 'settled',
  cancelled: false,
  orderSynced: true,
  netsuiteOrder: 'exists',
  billing: { kind: 'cash_sale', cashSaleId: '5' },
  unknownSkus: [],
};

function failing(facts: WhyNotFacts) {
  const answer = explainWhyNotSynced(facts);
  return answer.checks.filter((c) => c.status === 'fail');
}

describe('why did this not sync?', () => {
  it('passes every prerequisite, in a fixed order, when all is well', () => {
    const answer = explainWhyNotSynced(ready);
    expect(answer.ready).toBe(true);
    expect(answer.firstFailure).toBeNull();
    expect(answer.checks.map((c) => c.id)).toEqual([
      'direction',
      'refund_readable',
      'refund_settled',
      'not_cancelled',
      'order_synced',
      'netsuite_order_exists',
      'billing',
      'skus_known',
    ]);
    expect(answer.checks.every((c) => c.status === 'pass' && c.fix === null)).toBe(true);
  });

  it('names the direction to set when the account syncs the other way', () => {
    const [check] = failing({ ...ready, direction: 'netsuite_to_platform' });
    expect(check?.id).toBe('direction');
    expect(check?.fix).toMatch(/'platform_to_netsuite'/);
  });

  it('says Amazon refunds are made in Seller Central when a NetSuite refund is pushed to Amazon', () => {
    const [check] = failing({ ...ready, platform: 'amazon', direction: 'platform_to_netsuite', origin: 'netsuite' });
    expect(check?.fix).toMatch(/Seller Central/);
  });

  it('explains unreadable eBay refunds', () => {
    const [check] = failing({ ...ready, platform: 'ebay', refundState: 'unreadable' });
    expect(check?.id).toBe('refund_readable');
    expect(check?.fix).toMatch(/without a buyer request/);
  });

  it('separates pending money from failed refunds', () => {
    expect(failing({ ...ready, refundState: 'pending' })[0]?.fix).toMatch(/once the payment gateway confirms/);
    expect(failing({ ...ready, refundState: 'failed' })[0]?.fix).toMatch(/Retry the refund on shopify/);
  });

  it('points at the missing order, the deleted order and the unbilled order', () => {
    expect(failing({ ...ready, orderSynced: false, netsuiteOrder: 'not_found' }).map((c) => c.id)).toEqual(['order_synced', 'netsuite_order_exists']);
    const [deleted] = failing({ ...ready, netsuiteOrder: 'deleted' });
    expect(deleted?.detail).toMatch(/deleted/);
    expect(deleted?.fix).toMatch(/Re-import the order/);
    const [unbilled] = failing({ ...ready, billing: { kind: 'unbilled', customerDeposit: null } });
    expect(unbilled?.id).toBe('billing');
    expect(unbilled?.fix).toMatch(/cash sale or invoice/);
  });

  it('lists the unknown SKUs and a cancelled sync', () => {
    const checks = failing({ ...ready, unknownSkus: ['X-1', 'X-2'], cancelled: true });
    expect(checks.map((c) => c.id)).toEqual(['not_cancelled', 'skus_known']);
    expect(checks[1]?.detail).toContain('X-1, X-2');
    expect(explainWhyNotSynced({ ...ready, unknownSkus: ['X-1'], cancelled: true }).firstFailure).toBe('not_cancelled');
  });

  it('reports facts it was not given as unknown instead of passing them', () => {
    const answer = explainWhyNotSynced({ platform: 'magento', account: 'm' });
    expect(answer.ready).toBe(false);
    expect(answer.checks.every((c) => c.status === 'unknown')).toBe(true);
  });

  it('skips storefront-only checks for refunds made in NetSuite', () => {
    const answer = explainWhyNotSynced({ ...ready, direction: 'netsuite_to_platform', origin: 'netsuite', refundState: undefined, billing: undefined });
    expect(answer.ready).toBe(true);
    expect(answer.checks.filter((c) => c.status === 'not_applicable').map((c) => c.id)).toEqual(['refund_readable', 'refund_settled', 'billing']);
  });
});

describe("the refund's own sync records answer first", () => {
  const record = (over: Partial<RefundSyncRecordFact>): RefundSyncRecordFact => ({
    id: 'sr-1',
    topic: 'refunds/create',
    state: 'failed',
    code: null,
    message: null,
    ageHours: 3,
    refundId: '890088186047892400',
    ...over,
  });
  // Facts that, alone, would blame the order link: the records must win over them.
  const orderMissing: WhyNotFacts = { ...ready, orderSynced: false, netsuiteOrder: 'not_found', channelId: 'ch-1' };

  it('a record that failed invalid_payload is reported with its code and message, not as an order not linked', () => {
    const answer = explainWhyNotSynced({ ...orderMissing, records: [record({ code: 'invalid_payload', message: 'Shopify refunds/create webhook: transactions must be an array' })] });
    expect(answer.basis).toBe('sync_records');
    expect(answer.ready).toBe(false);
    expect(answer.firstFailure).toBe('sync_record');
    expect(answer.checks).toHaveLength(1);
    const [check] = answer.checks;
    expect(check).toMatchObject({ id: 'sync_record', status: 'fail', syncRecordId: 'sr-1' });
    expect(check?.detail).toContain('invalid_payload: Shopify refunds/create webhook: transactions must be an array');
    expect(check?.detail).not.toMatch(/parked|linked/);
    expect(check?.fix).toMatch(/cannot be read as a refund/);
    expect(check?.actions).toEqual([{ method: 'POST', path: '/v1/sync-records/sr-1/cancel', label: 'cancel this sync record' }]);
  });

  it('a parked record says its reason and how long it has waited', () => {
    const [check] = explainWhyNotSynced({ ...orderMissing, records: [record({ state: 'parked', code: 'order_not_synced', message: 'Waiting for shopify order 7 to reach NetSuite', ageHours: 30 })] }).checks;
    expect(check).toMatchObject({ status: 'fail' });
    expect(check?.detail).toBe('Parked for 30 hours: order_not_synced: Waiting for shopify order 7 to reach NetSuite');
    expect(check?.fix).toMatch(/Import the order/);
    expect(check?.actions).toBeUndefined();
    const [days] = explainWhyNotSynced({ ...ready, records: [record({ state: 'parked', code: 'order_not_synced', ageHours: 24 * 5 })] }).checks;
    expect(days?.detail).toMatch(/^Parked for 5 days/);
  });

  it('a cancelled record is un-cancelled through its own action', () => {
    const [check] = explainWhyNotSynced({ ...ready, records: [record({ state: 'cancelled', message: 'duplicate of a manual refund', ageHours: 0.5 })] }).checks;
    expect(check).toMatchObject({ status: 'fail', fix: 'Un-cancel it if it should sync.', actions: [{ method: 'POST', path: '/v1/sync-records/sr-1/uncancel' }] });
    expect(check?.detail).toBe('Cancelled by a user 30 minutes ago: duplicate of a manual refund.');
  });

  it('a skipped record is not a failure and says why it was skipped', () => {
    const answer = explainWhyNotSynced({ ...orderMissing, records: [record({ state: 'skipped', code: 'orders_from_other_connector', message: 'another connector imports orders' })] });
    expect(answer.ready).toBe(true);
    expect(answer.firstFailure).toBeNull();
    expect(answer.checks[0]).toMatchObject({ status: 'not_applicable', actions: [{ path: '/v1/sync-records/sr-1/retry' }] });
    expect(answer.checks[0]?.detail).toContain('orders_from_other_connector: another connector imports orders');
  });

  it('a posted record names the NetSuite records and total; a failed sibling is superseded by it', () => {
    const answer = explainWhyNotSynced({
      ...orderMissing,
      records: [
        record({ id: 'sr-1', state: 'failed', code: 'netsuite_error', message: 'timeout' }),
        record({ id: 'sr-2', state: 'posted', netsuite: { records: [{ kind: 'cashrefund', id: '812' }], total: '85.00', currency: 'USD' } }),
      ],
    });
    expect(answer).toMatchObject({ basis: 'sync_records', ready: true, firstFailure: null });
    expect(answer.checks[1]).toMatchObject({ status: 'pass', fix: null, detail: 'Posted: the refund is in NetSuite as cashrefund 812 (total 85.00 USD).' });
    expect(answer.checks[0]).toMatchObject({ status: 'not_applicable', detail: 'failed (netsuite_error: timeout); the refund was posted by sync record sr-2.' });
  });

  it('a record on its way is in progress, with nothing to fix', () => {
    for (const state of ['received', 'queued', 'posting'] as const) {
      const answer = explainWhyNotSynced({ ...orderMissing, records: [record({ state, ageHours: 0 })] });
      expect(answer.checks[0]).toMatchObject({ status: 'in_progress', fix: null });
      expect(answer.ready).toBe(false);
      expect(answer.firstFailure).toBeNull();
    }
  });

  it('failure codes get their own fixes', () => {
    const fix = (code: string) => explainWhyNotSynced({ ...ready, channelId: 'ch-1', records: [record({ code })] }).checks[0];
    expect(fix('direction_not_inbound')?.actions?.map((a) => `${a.method} ${a.path}`)).toEqual(['PATCH /v1/channels/ch-1', 'POST /v1/sync-records/sr-1/retry']);
    expect(fix('direction_not_inbound')?.actions?.[0]?.body).toEqual({ settings: { refundDirection: 'platform_to_netsuite' } });
    expect(fix('nothing_to_refund_against')?.fix).toMatch(/Bill the order/);
    expect(fix('unknown_sku')?.fix).toMatch(/Create the NetSuite item/);
    expect(fix('netsuite_order_deleted')?.fix).toMatch(/Re-import the order/);
    expect(fix('ebay_refund_unreadable')?.actions?.[0]?.path).toBe('/v1/sync-records/sr-1/cancel');
    expect(fix('something_new')?.fix).toBe('Correct what the message says, then retry this record.');
  });

  it('without records it reasons from the facts as before', () => {
    expect(explainWhyNotSynced({ ...orderMissing, records: [] })).toMatchObject({ basis: 'prerequisites', firstFailure: 'order_synced' });
  });
});
