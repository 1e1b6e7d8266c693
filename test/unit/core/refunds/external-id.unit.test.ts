import { escapeComponent, orderExternalId, refundExternalId, storefrontRefundKey } from '../../../../core/refunds';
import type { NetSuiteRefundRecordKind, RefundSource } from '../../../../core/refunds';

describe('externalId', () => {
  const source: RefundSource = { platform: 'shopify', account: 'shop1.myshopify.com', refundId: '9007199254740993' };

  it('is the same for the same source event, every time', () => {
    const first = refundExternalId(source, 'creditmemo');
    const again = refundExternalId({ ...source }, 'creditmemo');
    expect(again).toBe(first);
    expect(first).toBe('lb-shopify-shop1_2emyshopify_2ecom-9007199254740993-creditmemo');
  });

  it('differs when any part of the source or the record kind differs', () => {
    const kinds: NetSuiteRefundRecordKind[] = ['cashrefund', 'creditmemo', 'customerrefund'];
    const ids = new Set<string>();
    for (const kind of kinds) {
      ids.add(refundExternalId(source, kind));
      ids.add(refundExternalId({ ...source, platform: 'magento' }, kind));
      ids.add(refundExternalId({ ...source, account: 'shop2.myshopify.com' }, kind));
      ids.add(refundExternalId({ ...source, refundId: '9007199254740992' }, kind));
    }
    expect(ids.size).toBe(12);
  });

  it('cannot be forged by separators or escapes inside components', () => {
    const a = refundExternalId({ platform: 'ebay', account: 'a-b', refundId: 'c' }, 'cashrefund');
    const b = refundExternalId({ platform: 'ebay', account: 'a', refundId: 'b-c' }, 'cashrefund');
    const c = refundExternalId({ platform: 'ebay', account: 'a_2d', refundId: 'c' }, 'cashrefund');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(escapeComponent('é/ü')).toBe('_c3_a9_2f_c3_bc');
    expect(refundExternalId({ platform: 'amazon', account: 'A1 B', refundId: '058-7987646-0553626' }, 'creditmemo')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses rather than truncates an id that would be too long', () => {
    expect(() => refundExternalId({ ...source, account: 'x'.repeat(300) }, 'creditmemo')).toThrow(RangeError);
  });

  it('orders and NetSuite -> storefront keys have their own stable namespaces', () => {
    expect(orderExternalId('shopify', 's', '1')).toBe('lb-shopify-s-1-salesorder');
    expect(storefrontRefundKey('shopify', 's', 'cashrefund', '42')).toBe('lb-ns-cashrefund-42-shopify-s');
    expect(storefrontRefundKey('shopify', 's', 'cashrefund', '42')).not.toBe(storefrontRefundKey('shopify', 's', 'creditmemo', '42'));
  });
});
