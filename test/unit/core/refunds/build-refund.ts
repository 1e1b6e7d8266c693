import type { CanonicalRefund } from '../../../../core/refunds';

/** A settled USD Shopify refund with sensible defaults; tests override what they are about. */
export function buildRefund(overrides: Partial<CanonicalRefund> = {}): CanonicalRefund {
  return {
    platform: 'shopify',
    account: 'shop1.myshopify.com',
    refundId: '929361472',
    orderId: '450789469',
    currency: 'USD',
    lines: [],
    shipping: { amount: 0, tax: 0 },
    adjustments: [],
    transactions: [],
    note: null,
    createdAt: '2025-04-02T16:38:34Z',
    ...overrides,
  };
}

export const SETTINGS = { adjustmentItem: 'LB-REFUND-ADJ', shippingItem: 'LB-SHIPPING' };
