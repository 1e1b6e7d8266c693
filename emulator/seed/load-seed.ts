/**
 * Applies a parsed seed to a record engine: every record goes through the engine's own rules (transforms,
 * totals, statuses, inventory) and carries an externalId, so loading the same seed twice creates nothing new.
 */
import type { FieldValue, LineData, RecordData, RecordEngine } from '../records/types';
import { NsError } from '../records/types';
import { defaultSandboxSeed } from './default-seed';
import { customerKeys, parseSeed, SeedError, type Seed, type SeedOrder } from './seed-schema';

export interface SeededOrder {
  salesOrder: string;
  customerDeposit?: string;
  fulfillment?: string;
  cashSale?: string;
  invoice?: string;
  payment?: string;
}

export interface SeedResult {
  /** Internal ids by the seed's own keys: customer externalId/name, SKU, location and account name, order externalId. */
  customers: Record<string, string>;
  items: Record<string, string>;
  locations: Record<string, string>;
  accounts: Record<string, string>;
  orders: Record<string, SeededOrder>;
}

const ITEM_TYPE = {
  inventory: 'inventoryitem', noninventory: 'noninventoryitem', othercharge: 'otherchargeitem',
  discount: 'discountitem', service: 'serviceitem',
} as const;

const ACCOUNT_TYPE: Record<Seed['accounts'][number]['type'], string> = {
  bank: 'Bank', undepositedfunds: 'OthCurrAsset', accountsreceivable: 'AcctRec', othercurrentasset: 'OthCurrAsset',
  income: 'Income', expense: 'Expense', otherexpense: 'OthExpense', cogs: 'COGS',
};

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function loadSeed(engine: RecordEngine, seed: Seed): SeedResult {
  const result: SeedResult = { customers: {}, items: {}, locations: {}, accounts: {}, orders: {} };

  /** Finds by externalId or creates; returns the internal id. */
  const upsert = (type: string, externalId: string, fields: Record<string, FieldValue>, sublists: Record<string, LineData[]> = {}) => {
    const existing = engine.findByExternalId(type, externalId);
    if (existing) return existing;
    const r: RecordData = engine.newRecord(type);
    Object.assign(r.fields, fields, { externalid: externalId });
    Object.assign(r.sublists, sublists);
    return engine.save(r);
  };
  const findOne = (type: string, filters: unknown[]) => engine.search({ type, filters, columns: [] })[0]?.id ?? null;
  const currencyId = (code: string) => {
    const id = findOne('currency', [['symbol', 'is', code]]);
    if (!id) throw new SeedError([`currency '${code}' is not set up in the account`]);
    return id;
  };

  for (const l of seed.locations) {
    result.locations[l.name] = upsert('location', l.externalId ?? `seed-loc-${slug(l.name)}`, {
      name: l.name, makeinventoryavailable: !l.nonNettable,
    });
  }
  for (const a of seed.accounts) {
    result.accounts[a.name] = upsert('account', a.externalId ?? `seed-acct-${slug(a.name)}`, {
      acctname: a.name, accttype: ACCOUNT_TYPE[a.type], acctnumber: a.number ?? null, isundepfunds: a.type === 'undepositedfunds',
    });
  }
  for (const c of seed.customers) {
    const key = customerKeys(c)[0] as string;
    const id = upsert('customer', c.externalId ?? `seed-cust-${slug(key)}`, {
      companyname: c.name ?? null, firstname: c.firstName ?? null, lastname: c.lastName ?? null,
      isperson: c.name === undefined, email: c.email ?? null, currency: currencyId(c.currency ?? 'USD'),
    });
    for (const k of customerKeys(c)) result.customers[k] = id;
  }

  const locationId = (name: string) => result.locations[name] ?? findOne('location', [['name', 'is', name]]);
  for (const it of seed.items) {
    const id = upsert(ITEM_TYPE[it.type], it.externalId ?? `seed-item-${slug(it.sku)}`, {
      itemid: it.sku, displayname: it.name, price: it.price,
    });
    result.items[it.sku] = id;
    for (const s of it.stock ?? []) {
      const loc = locationId(s.location);
      if (!loc) throw new SeedError([`items '${it.sku}': unknown location '${s.location}'`]);
      upsert('inventoryadjustment', `seed-stock-${slug(it.sku)}-${slug(s.location)}`, {
        account: adjustmentAccount(), adjlocation: loc, memo: 'Seed stock',
      }, { inventory: [{ item: id, location: loc, adjustqtyby: s.quantity }] });
    }
  }

  function adjustmentAccount(): string {
    return findOne('account', [['acctname', 'is', 'Inventory Adjustments']])
      ?? upsert('account', 'seed-acct-inventory-adjustments', { acctname: 'Inventory Adjustments', accttype: 'OthExpense' });
  }

  seed.orders.forEach((o, i) => {
    const externalId = o.externalId ?? (o.storefrontOrderId ? `seed-order-${o.storefrontOrderId}` : `seed-order-${i + 1}`);
    result.orders[externalId] = loadOrder(o, externalId, i);
  });

  function loadOrder(o: SeedOrder, externalId: string, index: number): SeededOrder {
    const at = `orders[${index}]`;
    const customer = result.customers[o.customer] ?? engine.findByExternalId('customer', o.customer)
      ?? findOne('customer', [['companyname', 'is', o.customer], 'OR', ['entityid', 'is', o.customer]]);
    if (!customer) throw new SeedError([`${at}.customer: unknown customer '${o.customer}'`]);
    const lines = o.lines.map((l, j) => {
      const item = result.items[l.sku] ?? findOne('item', [['itemid', 'is', l.sku]]);
      if (!item) throw new SeedError([`${at}.lines[${j}].sku: unknown SKU '${l.sku}'`]);
      return { item, quantity: l.quantity, ...(l.price ? { rate: l.price } : {}) };
    });
    const location = o.location ? locationId(o.location) : findOne('location', [['makeinventoryavailable', 'is', 'T']]);
    const salesOrder = upsert('salesorder', externalId, {
      entity: customer, currency: currencyId(o.currency ?? 'USD'), location, otherrefnum: o.storefrontOrderId ?? null,
    }, { item: lines });
    const out: SeededOrder = { salesOrder };
    if (o.customerDeposit) {
      out.customerDeposit = upsert('customerdeposit', `${externalId}-deposit`, {
        customer, salesorder: salesOrder, payment: o.customerDeposit.amount, currency: currencyId(o.currency ?? 'USD'),
      });
    }
    if (o.fulfilled ?? o.billing !== 'none') out.fulfillment = transformOnce(salesOrder, 'itemfulfillment', `${externalId}-fulfillment`) ?? undefined;
    if (o.billing === 'cashsale') out.cashSale = transformOnce(salesOrder, 'cashsale', `${externalId}-cashsale`) ?? undefined;
    if (o.billing === 'invoice') {
      out.invoice = transformOnce(salesOrder, 'invoice', `${externalId}-invoice`) ?? undefined;
      if (o.paid && out.invoice) out.payment = transformOnce(out.invoice, 'customerpayment', `${externalId}-payment`, 'invoice') ?? undefined;
    }
    return out;
  }

  /** Transforms and saves once (by externalId); null when the source has nothing left (e.g. no lines to ship). */
  function transformOnce(fromId: string, toType: string, externalId: string, fromType = 'salesorder'): string | null {
    const existing = engine.findByExternalId(toType, externalId);
    if (existing) return existing;
    try {
      const r = engine.transform(fromType, fromId, toType);
      r.fields.externalid = externalId;
      return engine.save(r);
    } catch (err) {
      if (err instanceof NsError && err.code === 'INVALID_INITIALIZE_REF') return null;
      throw err;
    }
  }

  return result;
}

/**
 * The sandbox's data: the default seed, plus an optional user seed (JSON) that adds to it. Throws SeedError for
 * a bad user seed before anything of it is loaded.
 */
export function seedSandbox(engine: RecordEngine, userSeed?: unknown): SeedResult {
  const base = defaultSandboxSeed();
  const extra = userSeed === undefined ? undefined : parseSeed(userSeed, base);
  const result = loadSeed(engine, base);
  if (!extra) return result;
  const more = loadSeed(engine, extra);
  return {
    customers: { ...result.customers, ...more.customers }, items: { ...result.items, ...more.items },
    locations: { ...result.locations, ...more.locations }, accounts: { ...result.accounts, ...more.accounts },
    orders: { ...result.orders, ...more.orders },
  };
}
