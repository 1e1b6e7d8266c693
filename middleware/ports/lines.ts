/**
 * NetSuite item lines with exact money, shared by the flows that write transactions (refunds, order import). Pure.
 *
 * A transformed or created line keeps whatever rate it is given, so every line is sent with an explicit rate. A
 * line whose amount does not divide evenly by its quantity is split in two lines of the same item (q - r units at
 * floor(a / q) and r units at one minor unit more), so quantity × rate is exact on every line and the record total
 * equals the money to the minor unit; nothing is rounded.
 */
import type { ItemLineInput } from '../../core/contracts/restlet';
import { formatMoney, money, parseMoney } from '../../core/money';
import type { PostingLine } from '../../core/refunds';

const fmt = (amount: number, currency: string) => formatMoney(money(amount, currency));

/** One amount on `quantity` units of `sku` as exact lines (one, or two when the amount does not divide evenly). */
export function exactLines(sku: string, quantity: number, amount: number, currency: string, values?: Record<string, string>): ItemLineInput[] {
  const withValues = (l: ItemLineInput): ItemLineInput => (values && Object.keys(values).length ? { ...l, values: { ...values } } : l);
  const q = quantity;
  const base = Math.floor(amount / q);
  const rest = amount - base * q;
  if (rest === 0) return [withValues({ sku, quantity: q, rate: fmt(base, currency) })];
  return [withValues({ sku, quantity: q - rest, rate: fmt(base, currency) }), withValues({ sku, quantity: rest, rate: fmt(base + 1, currency) })];
}

function description(line: PostingLine, currency: string): string | null {
  const parts: string[] = [];
  if (line.memo) parts.push(line.memo);
  if (line.tax !== 0) parts.push(`includes tax ${fmt(line.tax, currency)}`);
  if (line.kind === 'item' && !line.restock) parts.push('not restocked');
  return parts.length ? parts.join('; ').slice(0, 999) : null;
}

export interface LinesContext {
  currency: string;
  /** Location of goods that are not restocked (a non-nettable holding location), when set. */
  nonRestockLocationId: string | null;
  /** Item of lines with money but no units (price adjustments). */
  adjustmentItem: string;
}

/** Item lines of a posting, each quantity × rate exact. */
export function itemLinesOf(lines: readonly PostingLine[], ctx: LinesContext): ItemLineInput[] {
  const out: ItemLineInput[] = [];
  for (const line of lines) {
    const values: Record<string, string> = {};
    const text = description(line, ctx.currency);
    if (text) values.description = text;
    if (line.kind === 'item' && !line.restock && ctx.nonRestockLocationId) values.location = ctx.nonRestockLocationId;
    if (line.quantity <= 0) {
      // Money refunded on a line without units (a price adjustment): an adjustment line naming the SKU.
      out.push({ sku: ctx.adjustmentItem, quantity: 1, rate: fmt(line.amount, ctx.currency), values: { description: `Refund on ${line.item} without quantity${text ? `; ${text}` : ''}`.slice(0, 999) } });
      continue;
    }
    out.push(...exactLines(line.item, line.quantity, line.amount, ctx.currency, values));
  }
  return out;
}

/** The sum the item lines make (minor units): the check that splitting kept every cent. */
export function linesTotal(lines: readonly ItemLineInput[], currency: string): number {
  return lines.reduce((acc, l) => acc + parseMoney(l.rate ?? '0', currency).amount * l.quantity, 0);
}
