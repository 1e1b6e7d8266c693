/**
 * The lines and total of the NetSuite refund record. The rule that matters: the NetSuite total equals the money
 * actually refunded to the customer, i.e. the sum of the SUCCESSFUL refund transactions. Lines are matched by SKU
 * (same SKU and restock flag grouped, quantities added); shipping is its own line; platform-stated adjustments keep
 * their reasons; and whatever difference remains between those components and the refunded money goes to the
 * configured adjustment item with a reason. Nothing is lost and nothing is rounded away: every amount is integer
 * minor units and the lines always sum to the total (checked before returning).
 */
import { currencyCode, formatMoney, money } from '../money';
import { type Result, fail, ok } from './errors';
import type { CanonicalRefund } from './types';

export interface RefundPostingSettings {
  /** NetSuite item (itemid) for adjustments and unexplained differences; an Other Charge item in practice. */
  adjustmentItem: string;
  /** NetSuite item (itemid) for refunded shipping. */
  shippingItem: string;
}

export type PostingLineKind = 'item' | 'shipping' | 'adjustment';

export interface PostingLine {
  kind: PostingLineKind;
  /** NetSuite itemid: the SKU for item lines, the configured item otherwise. */
  item: string;
  quantity: number;
  /** Gross minor units (tax included); may be negative only on adjustment lines. */
  amount: number;
  /** The tax inside `amount`. */
  tax: number;
  restock: boolean;
  memo: string | null;
}

export interface RefundPosting {
  currency: string;
  /** Money actually refunded: the sum of successful transactions, minor units. Equals the sum of `lines`. */
  total: number;
  lines: PostingLine[];
  /** Sum of item + shipping + stated adjustment lines before the balancing line. */
  componentsTotal: number;
  /** total - componentsTotal; non-zero means a balancing adjustment line was added. */
  difference: number;
  /** A refund that moves no money (e.g. restock only), handled explicitly rather than as an accident. */
  zeroAmount: boolean;
  hasRestock: boolean;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Builds the posting, or says why the refund cannot be posted as it stands. */
export function buildRefundPosting(refund: CanonicalRefund, settings: RefundPostingSettings): Result<RefundPosting> {
  let currency: string;
  try {
    currency = currencyCode(refund.currency);
  } catch {
    return fail('invalid_refund', `Refund ${refund.refundId} has no valid currency ('${refund.currency}').`, 'currency');
  }
  if (!settings.adjustmentItem || !settings.shippingItem) {
    return fail('missing_adjustment_item', 'Configure the NetSuite adjustment item and shipping item used for refunds.');
  }

  // Money that moved: successful transactions only; pending money must settle before anything is posted.
  const txs = refund.transactions;
  for (const [i, t] of txs.entries()) {
    if (!isCount(t.amount)) return fail('invalid_refund', `Transaction ${i} amount ${t.amount} is not a non-negative integer.`, `transactions[${i}]`);
  }
  if (txs.some((t) => t.status === 'pending')) {
    return fail('refund_not_settled', `Refund ${refund.refundId} has a pending refund transaction; it is posted once the money has settled.`);
  }
  const succeeded = txs.filter((t) => t.status === 'success');
  if (txs.length > 0 && succeeded.length === 0) {
    return fail('refund_not_settled', `Every refund transaction of refund ${refund.refundId} failed: no money was refunded, so nothing is posted.`);
  }
  const total = succeeded.reduce((acc, t) => acc + t.amount, 0);

  // Item lines grouped by SKU and restock flag.
  const grouped = new Map<string, PostingLine>();
  for (const [i, line] of refund.lines.entries()) {
    if (!line.sku) return fail('invalid_refund', `Line ${i} of refund ${refund.refundId} has no SKU.`, `lines[${i}].sku`);
    if (!isCount(line.quantity) || !isCount(line.amount) || !Number.isSafeInteger(line.tax) || Math.abs(line.tax) > line.amount) {
      return fail('invalid_refund', `Line ${i} (${line.sku}) has an invalid quantity, amount or tax.`, `lines[${i}]`);
    }
    const key = `${line.sku}\u0000${line.restock ? 1 : 0}`;
    const existing = grouped.get(key);
    if (existing) {
      existing.quantity += line.quantity;
      existing.amount += line.amount;
      existing.tax += line.tax;
    } else {
      grouped.set(key, { kind: 'item', item: line.sku, quantity: line.quantity, amount: line.amount, tax: line.tax, restock: line.restock, memo: null });
    }
  }
  const lines: PostingLine[] = [...grouped.values()];

  if (!isCount(refund.shipping.amount)) return fail('invalid_refund', 'Shipping refund amount must be a non-negative integer.', 'shipping');
  if (refund.shipping.amount > 0) {
    lines.push({ kind: 'shipping', item: settings.shippingItem, quantity: 1, amount: refund.shipping.amount, tax: refund.shipping.tax, restock: false, memo: 'Shipping refund' });
  }
  for (const [i, adj] of refund.adjustments.entries()) {
    if (!Number.isSafeInteger(adj.amount)) return fail('invalid_refund', `Adjustment ${i} amount is not an integer.`, `adjustments[${i}]`);
    if (adj.amount !== 0) {
      lines.push({ kind: 'adjustment', item: settings.adjustmentItem, quantity: 1, amount: adj.amount, tax: 0, restock: false, memo: adj.reason || 'Adjustment' });
    }
  }

  const componentsTotal = lines.reduce((acc, l) => acc + l.amount, 0);
  const difference = total - componentsTotal;
  if (difference !== 0) {
    const fmt = (n: number) => formatMoney(money(n, currency));
    lines.push({
      kind: 'adjustment',
      item: settings.adjustmentItem,
      quantity: 1,
      amount: difference,
      tax: 0,
      restock: false,
      memo:
        `Refunded ${fmt(total)} ${currency} vs ${fmt(componentsTotal)} in lines, shipping and stated adjustments: ` +
        `${difference > 0 ? 'more' : 'less'} money refunded than the lines by ${fmt(Math.abs(difference))}` +
        (refund.note ? ` (note: ${refund.note})` : ''),
    });
  }

  const linesTotal = lines.reduce((acc, l) => acc + l.amount, 0);
  if (linesTotal !== total) {
    // Unreachable by construction; kept as a guard because this invariant is the whole point of the module.
    throw new Error(`posting lines ${linesTotal} do not sum to the refunded total ${total}`);
  }
  return ok({
    currency,
    total,
    lines,
    componentsTotal,
    difference,
    zeroAmount: total === 0,
    hasRestock: lines.some((l) => l.restock && l.quantity > 0),
  });
}
