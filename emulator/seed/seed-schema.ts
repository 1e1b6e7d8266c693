/**
 * The seed-file format (shared/DESIGN.md "Seed files"): JSON with one array per kind — customers, items,
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
  constructor(readonly messages: string[]) {
    super(`Invalid seed:\n${messages.map((m) => `- ${m}`).join('\n')}`);
    this.name = 'SeedError';
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
 * into it. Throws SeedError listing every problem.
 */
export function parseSeed(json: unknown, base?: Seed): Seed {
  const parsed = seedSchema.safeParse(json);
  if (!parsed.success) {
    throw new SeedError(parsed.error.issues.map((i) => {
      const where = pathText(i.path) || '(root)';
      if (i.code === 'unrecognized_keys') return `${where}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
      return `${where}: ${i.message}`;
    }));
  }
  const seed = parsed.data;
  const messages = crossCheck(seed, base);
  if (messages.length) throw new SeedError(messages);
  return seed;
}

function crossCheck(seed: Seed, base?: Seed): string[] {
  const all = (k: keyof Seed) => [...(base?.[k] ?? []), ...seed[k]];
  const skus = new Map((all('items') as Seed['items']).map((i) => [i.sku.toLowerCase(), i]));
  const locations = new Set((all('locations') as Seed['locations']).map((l) => l.name));
  const customers = new Set((all('customers') as Seed['customers']).flatMap(customerKeys));
  const out: string[] = [];
  const seen = new Set((base?.items ?? []).map((i) => i.sku.toLowerCase()));
  seed.items.forEach((it, i) => {
    if (seen.has(it.sku.toLowerCase())) out.push(`items[${i}].sku: duplicate SKU '${it.sku}'`);
    seen.add(it.sku.toLowerCase());
    if (it.stock && it.type !== 'inventory') out.push(`items[${i}].stock: only inventory items hold stock`);
    it.stock?.forEach((s, j) => {
      if (!locations.has(s.location)) out.push(`items[${i}].stock[${j}].location: unknown location '${s.location}'`);
    });
  });
  const orderIds = new Set((base?.orders ?? []).map((o) => o.externalId).filter(Boolean));
  seed.orders.forEach((o, i) => {
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
