/** What the rule modules (totals, apply, transforms, derive, inventory) read from the engine. */
import { CURRENCY_PRECISION } from './money';
import type { Schema } from './schema';
import type { Store } from './store';
import type { FieldValue, RecordData } from './types';

export interface Ctx {
  store: Store;
  schema: Schema;
  baseCurrencyId: string;
  now(): Date;
}

export const str = (v: FieldValue | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

/** Currency precision of a transaction (its `currency` field, else the base currency). */
export function precisionOf(ctx: Ctx, record: RecordData): number {
  const currency = ctx.store.get(str(record.fields.currency) ?? ctx.baseCurrencyId);
  const explicit = currency?.fields.currencyprecision;
  if (typeof explicit === 'number') return explicit;
  const symbol = currency?.fields.symbol;
  return (typeof symbol === 'string' ? CURRENCY_PRECISION[symbol] : undefined) ?? 2;
}

/** Stored records of the given types that reference `id` (its children), optionally excluding one record. */
export function children(ctx: Ctx, id: string, types: string[], excludeId?: string | null): RecordData[] {
  const out: RecordData[] = [];
  for (const rid of ctx.store.referrers(id)) {
    if (rid === excludeId) continue;
    const r = ctx.store.get(rid);
    if (r && types.includes(r.type)) out.push(r);
  }
  return out;
}

export function linesOf(record: RecordData, sublist: string) {
  return record.sublists[sublist] ?? [];
}
