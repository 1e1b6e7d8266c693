/**
 * The seed-file format: JSON with one array per kind — customers, items,
 * locations, accounts, orders. Unknown keys and bad values are refused with messages that name the entry
 * ("orders[2].lines[0].sku: unknown SKU 'XYZ'"). References (an order's customer and SKUs, a stock location)
 * may point at entries of the same seed or of the data it is added to (the default sandbox seed).
 */
import { z } from 'zod';

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'JPY', 'KWD', 'BHD'] as const;
const PRECISION: Record<(typeof CURRENCIES)[number], number> = { USD: 2, EUR: 2, GBP: 2, CAD: 2, JPY: 0, KWD: 3, BHD: 3 };

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "19.99"');
const text = z.string().trim().min(1, 'must not be empty');
const currency = z.enum(CURRENCIES);

const customer = z.strictObject({
  externalId: text.optional(),
  name: text.optional(),
  firstName: text.optional(),
  lastName: text.optional(),
  email: z.email().optional(),
  currency: currency.optional(),
}).refine((c) => c.name !== undefined || c.lastName !== undefined, { message: 'needs a name (company) or a lastName' });

const item = z.strictObject({
  sku: text,
  name: text,
  type: z.enum(['inventory', 'noninventory', 'othercharge', 'discount', 'service']),
  price: decimal,
  externalId: text.optional(),
  stock: z.array(z.strictObject({ location: text, quantity: z.number().int().nonnegative() })).optional(),
});

const location = z.strictObject({
  name: text,
  externalId: text.optional(),
  /** A holding location: stock there is on hand but not available (NetSuite makeinventoryavailable = false). */
  nonNettable: z.boolean().optional(),
});

export const ACCOUNT_TYPES = ['bank', 'undepositedfunds', 'accountsreceivable', 'othercurrentasset', 'income', 'expense', 'otherexpense', 'cogs'] as const;

const account = z.strictObject({
  name: text,
  type: z.enum(ACCOUNT_TYPES),
  number: text.optional(),
  externalId: text.optional(),
});

const line = z.strictObject({
  sku: text,
  quantity: z.number().positive(),
  /** Unit price as a decimal string; defaults to the item's price. */
  price: decimal.optional(),
});

const order = z.strictObject({
  externalId: text.optional(),
  storefrontOrderId: text.optional(),
  /** A customer's externalId or name. */
  customer: text,
  currency: currency.optional(),
  location: text.optional(),
  billing: z.enum(['cashsale', 'invoice', 'none']),
  /** Invoice billing only: paid in full by a customer payment. */
  paid: z.boolean().optional(),
  /** Ship before billing (default: true when billed). */
  fulfilled: z.boolean().optional(),
  customerDeposit: z.strictObject({ amount: decimal }).optional(),
  lines: z.array(line).min(1, 'an order needs at least one line'),
});

export const seedSchema = z.strictObject({
  customers: z.array(customer).default([]),
  items: z.array(item).default([]),
  locations: z.array(location).default([]),
  accounts: z.array(account).default([]),
  orders: z.array(order).default([]),
});

export type Seed = z.infer<typeof seedSchema>;
export type SeedOrder = Seed['orders'][number];
export type SeedCustomer = Seed['customers'][number];

export class SeedError extends Error {
  readonly code = 'INVALID_SEED';
  /** `source` names where the seed came from (a file path) in the message. */
  constructor(readonly messages: string[], readonly source?: string) {
    super(`Invalid seed${source ? ` ${source}` : ''}:\n${messages.map((m) => `- ${m}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

const KINDS = ['customers', 'items', 'locations', 'accounts', 'orders'] as const;
type Kind = (typeof KINDS)[number];
const ENTRY_SCHEMAS: { [K in Kind]: z.ZodType<Seed[K][number]> } = { customers: customer, items: item, locations: location, accounts: account, orders: order };

/** A valid entry with its index in the seed's own array (messages name that index). */
type Indexed<T> = { v: T; i: number };
type Entries = { [K in Kind]: Array<Indexed<Seed[K][number]>> };

/** Names a malformed entry still gives (so references to it are not also reported as unknown). */
interface LooseNames { skus: Set<string>; locations: Set<string>; customers: Set<string> }

function looseNames(kind: Kind, raw: unknown, names: LooseNames): void {
  if (typeof raw !== 'object' || raw === null) return;
  const o = raw as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() !== '' ? (o[k] as string) : undefined);
  if (kind === 'items' && str('sku')) names.skus.add((str('sku') as string).toLowerCase());
  if (kind === 'locations' && str('name')) names.locations.add(str('name') as string);
  if (kind === 'customers') {
    const person = [str('firstName'), str('lastName')].filter(Boolean).join(' ');
    for (const k of [str('externalId'), str('name'), person]) if (k) names.customers.add(k);
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');
}

/** The key an order uses to name a customer: externalId, else company name, else "first last". */
export function customerKeys(c: SeedCustomer): string[] {
  const person = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return [c.externalId, c.name, person].filter((k): k is string => !!k);
}

/**
 * Validates a seed. `base` is the data the seed is added to (the default sandbox seed); references may point
 * into it. Each entry is checked on its own, and references are checked among the well-formed entries, so one
 * SeedError lists every problem of every entry (not just the first).
 */
export function parseSeed(json: unknown, base?: Seed, source?: string): Seed {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SeedError([`(root): must be a JSON object with the arrays ${KINDS.join(', ')}`], source);
  }
  const root = json as Record<string, unknown>;
  const messages: string[] = [];
  const unknownKeys = Object.keys(root).filter((k) => !(KINDS as readonly string[]).includes(k));
  if (unknownKeys.length) messages.push(`(root): unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `'${k}'`).join(', ')}`);
  const entries = { customers: [], items: [], locations: [], accounts: [], orders: [] } as Entries;
  const names: LooseNames = { skus: new Set(), locations: new Set(), customers: new Set() };
  for (const kind of KINDS) {
    const list = root[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      messages.push(`${kind}: must be an array`);
      continue;
    }
    list.forEach((raw, i) => {
      const parsed = ENTRY_SCHEMAS[kind].safeParse(raw);
      if (parsed.success) {
        (entries[kind] as Array<Indexed<unknown>>).push({ v: parsed.data, i });
        return;
      }
      looseNames(kind, raw, names);
      for (const problem of parsed.error.issues) {
        const where = pathText([kind, i, ...problem.path]);
        if (problem.code === 'unrecognized_keys') messages.push(`${where}: unknown key${problem.keys.length > 1 ? 's' : ''} ${problem.keys.map((k) => `'${k}'`).join(', ')}`);
        else messages.push(`${where}: ${problem.message}`);
      }
    });
  }
  const seed: Seed = {
    customers: entries.customers.map((e) => e.v), items: entries.items.map((e) => e.v), locations: entries.locations.map((e) => e.v),
    accounts: entries.accounts.map((e) => e.v), orders: entries.orders.map((e) => e.v),
  };
  messages.push(...crossCheck(entries, base, names));
  if (messages.length) throw new SeedError(messages, source);
  return seed;
}

function crossCheck(entries: Entries, base: Seed | undefined, loose: LooseNames): string[] {
  const skus = new Set([...(base?.items ?? []), ...entries.items.map((e) => e.v)].map((i) => i.sku.toLowerCase()));
  for (const s of loose.skus) skus.add(s);
  const locations = new Set([...(base?.locations ?? []), ...entries.locations.map((e) => e.v)].map((l) => l.name));
  for (const l of loose.locations) locations.add(l);
  const customers = new Set([...(base?.customers ?? []), ...entries.customers.map((e) => e.v)].flatMap(customerKeys));
  for (const c of loose.customers) customers.add(c);
  const out: string[] = [];
  const seen = new Set((base?.items ?? []).map((i) => i.sku.toLowerCase()));
  entries.items.forEach(({ v: it, i }) => {
    if (seen.has(it.sku.toLowerCase())) out.push(`items[${i}].sku: duplicate SKU '${it.sku}'`);
    seen.add(it.sku.toLowerCase());
    if (it.stock && it.type !== 'inventory') out.push(`items[${i}].stock: only inventory items hold stock`);
    it.stock?.forEach((s, j) => {
      if (!locations.has(s.location)) out.push(`items[${i}].stock[${j}].location: unknown location '${s.location}'`);
    });
  });
  const orderIds = new Set((base?.orders ?? []).map((o) => o.externalId).filter(Boolean));
  entries.orders.forEach(({ v: o, i }) => {
    const at = `orders[${i}]`;
    if (!customers.has(o.customer)) out.push(`${at}.customer: unknown customer '${o.customer}'`);
    if (o.location && !locations.has(o.location)) out.push(`${at}.location: unknown location '${o.location}'`);
    if (o.paid && o.billing !== 'invoice') out.push(`${at}.paid: only an invoiced order can be paid by a customer payment`);
    if (o.externalId) {
      if (orderIds.has(o.externalId)) out.push(`${at}.externalId: duplicate order '${o.externalId}'`);
      orderIds.add(o.externalId);
    }
    const precision = PRECISION[o.currency ?? 'USD'];
    const checkPrecision = (value: string, where: string) => {
      const decimals = value.split('.')[1]?.length ?? 0;
      if (decimals > precision) out.push(`${where}: ${o.currency ?? 'USD'} has ${precision} decimals, got '${value}'`);
    };
    if (o.customerDeposit) checkPrecision(o.customerDeposit.amount, `${at}.customerDeposit.amount`);
    o.lines.forEach((l, j) => {
      if (!skus.has(l.sku.toLowerCase())) out.push(`${at}.lines[${j}].sku: unknown SKU '${l.sku}'`);
      if (l.price) checkPrecision(l.price, `${at}.lines[${j}].price`);
    });
  });
  return out;
}
