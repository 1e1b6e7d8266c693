import { explainWhyNotSynced } from '../../../../core/refunds';
import type { WhyNotFacts } from '../../../../core/refunds';

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
