/**
 * Simulated Magento 2 store (Sales REST API, webapi.xml): orders, credit memos and the offline refund endpoint.
 *   GET  /rest/{store}/V1/orders/{id}
 *   GET  /rest/{store}/V1/creditmemos?searchCriteria[...]   (filters eq/gt/gteq/lt on entity_id, order_id, created_at)
 *   GET  /rest/{store}/V1/creditmemo/{id}
 *   POST /rest/{store}/V1/order/{id}/refund                 (RefundOrderInterface; answers the credit memo id)
 * Bearer integration token required. Magento Open Source sends no refund webhooks, so nothing is pushed: the
 * middleware polls. A configurable product is stored the Magento way: a parent row with the price and a child
 * row at zero carrying the same SKU. Like Magento's REST output, a credit memo leaves out the ids it has no value
 * for (invoice_id of a refund not made from an invoice, transaction_id of an offline refund).
 * Published answers (`publishedCreditMemos`, `publishedOrders`: the JSON text of a GET /V1/creditmemo/{id} or
 * GET /V1/orders/{id} answer as Magento's documentation prints it) are served verbatim, by themselves and among the
 * search results; the simulator's own ids start after theirs.
 */
import { formatMoney, money, parseMoney } from '../../../core/money';
import { parseJson, stringifyJson } from '../../connectors/shared/json';
import { type RequestLog, type Route, type SimRequest, type SimResponse, bearerToken, startServer } from '../shared/server';
import { expectState, openSimulatorState, restoreMap, trackChanges, type SimulatorPersistence } from '../shared/state';

export interface MagentoSimOrderInput {
  currency?: string;
  email?: string;
  customer?: { firstName: string; lastName: string };
  lines: { sku: string; name?: string; qty: number; price: string; taxPercentBps?: number; configurable?: boolean }[];
  shipping?: string;
  /** A registered customer's id (Magento sends customer_id only for registered customers). */
  customerId?: number;
}

interface SimItem {
  itemId: number;
  parentItemId: number | null;
  sku: string;
  name: string;
  productType: string;
  qty: number;
  price: number;
  tax: number;
  qtyRefunded: number;
}

interface SimOrder {
  entityId: number;
  incrementId: string;
  currency: string;
  email: string;
  customer: { firstName: string; lastName: string };
  customerId?: number;
  items: SimItem[];
  shipping: number;
  shippingRefunded: number;
  grandTotal: number;
  totalRefunded: number;
  createdAt: string;
}

export interface MagentoRefundIssue {
  items: { sku: string; qty: number }[];
  shipping?: string;
  adjustmentPositive?: string;
  adjustmentNegative?: string;
  comment?: string;
}

export const MAGENTO_SIM_DEFAULTS = { store: 'default', accessToken: 'magento_sandbox_integration_token' } as const;

const magentoDate = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

export interface MagentoSimulatorOptions {
  accessToken?: string;
  seedSampleOrders?: boolean;
  /** GET /V1/creditmemo/{id} answers as published (JSON text), served verbatim and found by the credit memo search. */
  publishedCreditMemos?: readonly string[];
  /** GET /V1/orders/{id} answers as published (JSON text), served verbatim. */
  publishedOrders?: readonly string[];
  now?: () => Date;
}

interface PublishedEntity {
  /** The published JSON text, byte for byte. */
  text: string;
  /** Its parsed top-level fields (for search filters and sorting). */
  fields: Record<string, unknown>;
}

function publishedEntities(texts: readonly string[] | undefined, what: string): Map<string, PublishedEntity> {
  const out = new Map<string, PublishedEntity>();
  for (const text of texts ?? []) {
    const fields = parseJson(text) as Record<string, unknown> | null;
    const id = fields && typeof fields === 'object' ? fields.entity_id : undefined;
    if (typeof id !== 'number' && typeof id !== 'string') throw new TypeError(`a published ${what} needs an "entity_id"`);
    out.set(String(id), { text, fields: fields as Record<string, unknown> });
  }
  return out;
}

const afterIds = (ids: Iterable<string>) => Math.max(0, ...[...ids].map(Number).filter(Number.isSafeInteger)) + 1;

export async function startMagentoSimulator(options: MagentoSimulatorOptions & SimulatorPersistence = {}) {
  const accessToken = options.accessToken ?? MAGENTO_SIM_DEFAULTS.accessToken;
  const now = options.now ?? (() => new Date());
  const publishedMemos = publishedEntities(options.publishedCreditMemos, 'credit memo');
  const publishedOrders = publishedEntities(options.publishedOrders, 'order');
  let nextOrderId = afterIds(publishedOrders.keys());
  let nextItemId = 1;
  let nextMemoId = afterIds(publishedMemos.keys());
  const state = {
    orders: new Map<string, SimOrder>(),
    creditMemos: new Map<string, Record<string, unknown>>(),
    requests: [] as RequestLog,
  };

  // With a state file (shared/state.ts): orders, credit memos and the id sequences survive a restart, so a poll
  // cursor on credit memo ids stays valid.
  const persisted = openSimulatorState('magento', options);
  const saved = (persisted?.read() ?? null) as Record<string, unknown> | null;
  if (persisted && saved) {
    const ids = saved.nextIds as Record<string, unknown> | undefined;
    expectState(!!ids && [ids.order, ids.item, ids.memo].every((n) => Number.isSafeInteger(n) && (n as number) >= 1), persisted.file, 'nextIds.order, .item and .memo must be positive integers');
    nextOrderId = ids?.order as number;
    nextItemId = ids?.item as number;
    nextMemoId = ids?.memo as number;
    restoreMap(state.orders, saved.orders, persisted.file, 'orders');
    restoreMap(state.creditMemos, saved.creditMemos, persisted.file, 'creditMemos');
  }
  const snapshot = () => ({ nextIds: { order: nextOrderId, item: nextItemId, memo: nextMemoId }, orders: state.orders, creditMemos: state.creditMemos });

  const fmtNum = (amount: number, currency: string) => Number(formatMoney(money(amount, currency)));

  function createOrder(input: MagentoSimOrderInput): SimOrder {
    const currency = input.currency ?? 'USD';
    const items: SimItem[] = [];
    for (const l of input.lines) {
      const price = parseMoney(l.price, currency).amount;
      const tax = Math.floor((price * l.qty * (l.taxPercentBps ?? 0) + 5_000) / 10_000);
      const parent: SimItem = { itemId: nextItemId++, parentItemId: null, sku: l.sku, name: l.name ?? l.sku, productType: l.configurable ? 'configurable' : 'simple', qty: l.qty, price, tax, qtyRefunded: 0 };
      items.push(parent);
      if (l.configurable) items.push({ ...parent, itemId: nextItemId++, parentItemId: parent.itemId, productType: 'simple', price: 0, tax: 0 });
    }
    const shipping = parseMoney(input.shipping ?? '0', currency).amount;
    const id = nextOrderId++;
    const order: SimOrder = {
      entityId: id,
      incrementId: String(100000000 + id),
      currency,
      email: input.email ?? `customer${id}@example.com`,
      customer: input.customer ?? { firstName: 'Alex', lastName: `Shopper${id}` },
      ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
      items,
      shipping,
      shippingRefunded: 0,
      grandTotal: items.reduce((a, i) => a + i.price * i.qty + i.tax, 0) + shipping,
      totalRefunded: 0,
      createdAt: magentoDate(now()),
    };
    state.orders.set(String(id), order);
    return order;
  }

  function orderJson(o: SimOrder) {
    const c = o.currency;
    const parents = o.items.filter((i) => i.parentItemId === null);
    const subtotal = parents.reduce((a, i) => a + i.price * i.qty, 0);
    const tax = parents.reduce((a, i) => a + i.tax, 0);
    const closed = o.totalRefunded >= o.grandTotal;
    // The fields Magento's REST schema (sales-data-order-interface / -item-interface) names for totals, as
    // Magento fills them: order discount_amount negative, item discount_amount positive.
    return {
      entity_id: o.entityId,
      increment_id: o.incrementId,
      state: closed ? 'closed' : 'processing',
      status: closed ? 'closed' : 'processing',
      order_currency_code: c,
      base_currency_code: c,
      store_currency_code: c,
      customer_email: o.email,
      customer_firstname: o.customer.firstName,
      customer_lastname: o.customer.lastName,
      ...(o.customerId !== undefined ? { customer_id: o.customerId, customer_is_guest: 0 } : { customer_is_guest: 1 }),
      base_grand_total: fmtNum(o.grandTotal, c),
      grand_total: fmtNum(o.grandTotal, c),
      subtotal: fmtNum(subtotal, c),
      subtotal_incl_tax: fmtNum(subtotal + tax, c),
      tax_amount: fmtNum(tax, c),
      discount_amount: 0,
      total_refunded: fmtNum(o.totalRefunded, c),
      total_canceled: 0,
      shipping_amount: fmtNum(o.shipping, c),
      shipping_discount_amount: 0,
      shipping_tax_amount: 0,
      shipping_incl_tax: fmtNum(o.shipping, c),
      shipping_description: o.shipping > 0 ? 'Flat Rate - Fixed' : null,
      created_at: o.createdAt,
      updated_at: o.createdAt,
      items: o.items.map((i) => ({
        item_id: i.itemId,
        parent_item_id: i.parentItemId,
        sku: i.sku,
        name: i.name,
        product_type: i.productType,
        qty_ordered: i.qty,
        qty_refunded: i.qtyRefunded,
        qty_canceled: 0,
        price: fmtNum(i.price, c),
        original_price: fmtNum(i.price, c),
        price_incl_tax: fmtNum(i.qty > 0 ? i.price + Math.round(i.tax / i.qty) : i.price, c),
        row_total: fmtNum(i.price * i.qty, c),
        row_total_incl_tax: fmtNum(i.price * i.qty + i.tax, c),
        tax_amount: fmtNum(i.tax, c),
        tax_percent: i.price * i.qty > 0 ? Math.round((i.tax * 10_000) / (i.price * i.qty)) / 100 : 0,
        discount_amount: 0,
      })),
    };
  }

  /** Creates an offline credit memo the way sales_order_creditmemo does; throws a Magento-style message on bad input. */
  function refund(o: SimOrder, items: { item: SimItem; qty: number }[], args: { shipping: number; adjPos: number; adjNeg: number; comment: string | null }) {
    const c = o.currency;
    for (const { item, qty } of items) {
      if (!(qty > 0) || qty > item.qty - item.qtyRefunded) throw new MagentoError(400, 'The credit memo\'s total must be positive.');
    }
    if (args.shipping > o.shipping - o.shippingRefunded) throw new MagentoError(400, `Maximum shipping amount allowed to refund is: ${formatMoney(money(o.shipping - o.shippingRefunded, c))}`);
    const rows = items.flatMap(({ item, qty }) => {
      const rowTotal = item.price * qty;
      // Magento's roundPrice: the item's tax for the refunded units, rounded to the cent.
      const tax = Math.round((item.tax * qty) / item.qty);
      const children = o.items.filter((ch) => ch.parentItemId === item.itemId);
      return [{ item, qty, rowTotal, tax }, ...children.map((ch) => ({ item: ch, qty, rowTotal: 0, tax: 0 }))];
    });
    const subtotal = rows.reduce((a, r) => a + r.rowTotal, 0);
    const tax = rows.reduce((a, r) => a + r.tax, 0);
    const grand = subtotal + tax + args.shipping + args.adjPos - args.adjNeg;
    if (grand <= 0 && rows.length === 0) throw new MagentoError(400, 'The credit memo\'s total must be positive.');
    if (grand > o.grandTotal - o.totalRefunded) throw new MagentoError(400, `The most money available to refund is ${formatMoney(money(o.grandTotal - o.totalRefunded, c))}.`);
    const id = nextMemoId++;
    const createdAt = magentoDate(now());
    const memo = {
      entity_id: id,
      order_id: o.entityId,
      increment_id: String(100000000 + id),
      state: 2,
      order_currency_code: c,
      base_currency_code: c,
      store_currency_code: c,
      grand_total: fmtNum(grand, c),
      subtotal: fmtNum(subtotal, c),
      subtotal_incl_tax: fmtNum(subtotal + tax, c),
      tax_amount: fmtNum(tax, c),
      shipping_amount: fmtNum(args.shipping, c),
      shipping_incl_tax: fmtNum(args.shipping, c),
      shipping_tax_amount: 0,
      adjustment_positive: fmtNum(args.adjPos, c),
      adjustment_negative: fmtNum(args.adjNeg, c),
      adjustment: fmtNum(args.adjPos - args.adjNeg, c),
      discount_amount: 0,
      created_at: createdAt,
      updated_at: createdAt,
      items: rows.map((r, k) => ({
        entity_id: id * 1000 + k,
        parent_id: id,
        order_item_id: r.item.itemId,
        sku: r.item.sku,
        name: r.item.name,
        qty: r.qty,
        price: fmtNum(r.item.price, c),
        row_total: fmtNum(r.rowTotal, c),
        row_total_incl_tax: fmtNum(r.rowTotal + r.tax, c),
        tax_amount: fmtNum(r.tax, c),
        discount_amount: 0,
      })),
      comments: args.comment ? [{ entity_id: id, parent_id: id, comment: args.comment, is_customer_notified: 0, is_visible_on_front: 0, created_at: createdAt }] : [],
    };
    for (const r of items) r.item.qtyRefunded += r.qty;
    o.shippingRefunded += args.shipping;
    o.totalRefunded += grand;
    state.creditMemos.set(String(id), memo);
    return memo;
  }

  /** A merchant's offline refund in the Magento admin. Nothing is pushed; the middleware finds it by polling. */
  function issueRefund(orderId: string, issue: MagentoRefundIssue) {
    const o = state.orders.get(orderId);
    if (!o) throw new Error(`no simulated Magento order ${orderId}`);
    const c = o.currency;
    const items = issue.items.map((i) => {
      const item = o.items.find((x) => x.sku === i.sku && x.parentItemId === null);
      if (!item) throw new Error(`order ${orderId} has no item ${i.sku}`);
      return { item, qty: i.qty };
    });
    const amt = (v: string | undefined) => parseMoney(v ?? '0', c).amount;
    return refund(o, items, { shipping: amt(issue.shipping), adjPos: amt(issue.adjustmentPositive), adjNeg: amt(issue.adjustmentNegative), comment: issue.comment ?? null });
  }

  /** Credit memos matching the searchCriteria: the simulator's own and the published ones, as answer texts. */
  function search(query: URLSearchParams): string[] {
    const groups = new Map<string, { field?: string; value?: string; condition?: string }>();
    let sortField = 'entity_id';
    let sortDir = 'ASC';
    let pageSize = Infinity;
    let page = 1;
    for (const [key, value] of query) {
      const f = /^searchCriteria\[filter_groups\]\[(\d+)\]\[filters\]\[(\d+)\]\[(field|value|condition_type)\]$/.exec(key);
      if (f) {
        const g = groups.get(`${f[1]}/${f[2]}`) ?? {};
        if (f[3] === 'field') g.field = value;
        else if (f[3] === 'value') g.value = value;
        else g.condition = value;
        groups.set(`${f[1]}/${f[2]}`, g);
      } else if (key === 'searchCriteria[sortOrders][0][field]') sortField = value;
      else if (key === 'searchCriteria[sortOrders][0][direction]') sortDir = value.toUpperCase();
      else if (key === 'searchCriteria[pageSize]') pageSize = Number(value);
      else if (key === 'searchCriteria[currentPage]') page = Number(value);
    }
    const cmp = (a: unknown, b: string): number => (typeof a === 'number' ? a - Number(b) : String(a) < b ? -1 : String(a) > b ? 1 : 0);
    const all: PublishedEntity[] = [
      ...[...publishedMemos.values()],
      ...[...state.creditMemos.values()].map((fields) => ({ text: stringifyJson(fields), fields })),
    ];
    let rows = all.filter(({ fields: memo }) =>
      [...groups.values()].every(({ field, value, condition }) => {
        if (!field || value === undefined) return true;
        const d = cmp(memo[field], value);
        switch (condition ?? 'eq') {
          case 'eq': return d === 0;
          case 'gt': return d > 0;
          case 'gteq': return d >= 0;
          case 'lt': return d < 0;
          case 'lteq': return d <= 0;
          default: throw new MagentoError(400, `Invalid condition type "${String(condition)}"`);
        }
      }),
    );
    rows = rows.sort((a, b) => cmp(a.fields[sortField], String(b.fields[sortField])) * (sortDir === 'DESC' ? -1 : 1));
    return (Number.isFinite(pageSize) ? rows.slice((page - 1) * pageSize, page * pageSize) : rows).map((r) => r.text);
  }

  const guard = (handler: (req: SimRequest) => SimResponse): Route['handle'] => (req) => {
    if (bearerToken(req.headers) !== accessToken) {
      return { status: 401, body: { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::sales' } } };
    }
    try {
      return handler(req);
    } catch (e) {
      if (e instanceof MagentoError) return { status: e.status, body: { message: e.message } };
      throw e;
    }
  };
  const notFound = { status: 404, body: { message: "The entity that was requested doesn't exist. Verify the entity and try again." } };
  const rawJson = (text: string): SimResponse => ({ status: 200, raw: { text, contentType: 'application/json; charset=utf-8' } });

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/rest\/\w+\/V1\/orders\/(\d+)$/,
      handle: guard((req) => {
        const published = publishedOrders.get(req.params[0] ?? '');
        if (published) return rawJson(published.text);
        const o = state.orders.get(req.params[0] ?? '');
        return o ? { status: 200, body: orderJson(o) } : notFound;
      }),
    },
    {
      method: 'GET',
      pattern: /^\/rest\/\w+\/V1\/creditmemo\/(\d+)$/,
      handle: guard((req) => {
        const published = publishedMemos.get(req.params[0] ?? '');
        if (published) return rawJson(published.text);
        const m = state.creditMemos.get(req.params[0] ?? '');
        return m ? { status: 200, body: m } : notFound;
      }),
    },
    {
      method: 'GET',
      pattern: /^\/rest\/\w+\/V1\/creditmemos$/,
      handle: guard((req) => {
        // Magento's search result envelope (sales-data-creditmemo-search-result-interface); published items verbatim.
        const items = search(req.query);
        return rawJson(`{"items":[${items.join(',')}],"search_criteria":{"filter_groups":[]},"total_count":${items.length}}`);
      }),
    },
    {
      method: 'POST',
      pattern: /^\/rest\/\w+\/V1\/order\/(\d+)\/refund$/,
      handle: guard((req) => {
        const o = state.orders.get(req.params[0] ?? '');
        if (!o) return notFound;
        const body = (req.body ?? {}) as { items?: { order_item_id?: unknown; qty?: unknown }[]; arguments?: Record<string, unknown>; comment?: { comment?: string } };
        if (req.body instanceof Error) throw new MagentoError(400, 'Decoding error: invalid JSON');
        const items = (body.items ?? []).map((i) => {
          const item = o.items.find((x) => String(x.itemId) === String(i.order_item_id));
          if (!item) throw new MagentoError(400, `The creditmemo contains product item that is not part of the original order.`);
          return { item, qty: Number(i.qty) };
        });
        const args = body.arguments ?? {};
        const amt = (v: unknown) => parseMoney(typeof v === 'number' || typeof v === 'string' ? v : 0, o.currency).amount;
        const memo = refund(o, items, { shipping: amt(args.shipping_amount), adjPos: amt(args.adjustment_positive), adjNeg: amt(args.adjustment_negative), comment: body.comment?.comment ?? null });
        return { status: 200, body: memo.entity_id };
      }),
    },
  ];
  const server = await startServer(routes, state.requests, { message: 'Request does not match any route.' }, { afterRequest: () => persisted?.changed() });

  if (!saved && (options.seedSampleOrders ?? true)) for (const sample of MAGENTO_SAMPLE_ORDERS) createOrder(sample);
  persisted?.attach(snapshot);

  return {
    url: server.url,
    /** The base URL a Magento client uses (store REST root). */
    restUrl: `${server.url}/rest/${MAGENTO_SIM_DEFAULTS.store}`,
    accessToken,
    state,
    /** True when the state came from `stateFile`. */
    restored: saved !== null,
    /** Writes the state file now (no-op without one). */
    flushState: () => persisted?.flush(),
    close: async () => {
      try {
        await server.close();
      } finally {
        persisted?.close();
      }
    },
    createOrder: trackChanges(persisted, createOrder),
    orderJson,
    issueRefund: trackChanges(persisted, issueRefund),
  };
}

export type MagentoSimulator = Awaited<ReturnType<typeof startMagentoSimulator>>;

class MagentoError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const MAGENTO_SAMPLE_ORDERS: readonly MagentoSimOrderInput[] = [
  {
    currency: 'USD',
    email: 'roni_cost@example.com',
    customer: { firstName: 'Veronica', lastName: 'Costello' },
    lines: [
      { sku: 'MH01-XS-Black', name: 'Chaz Kangeroo Hoodie', qty: 2, price: '52.00', taxPercentBps: 825, configurable: true },
      { sku: '24-MB01', name: 'Joust Duffle Bag', qty: 1, price: '34.00', taxPercentBps: 825 },
    ],
    shipping: '10.00',
  },
  {
    currency: 'EUR',
    email: 'lena@example.de',
    customer: { firstName: 'Lena', lastName: 'Vogel' },
    lines: [{ sku: '24-WG080', name: 'Sprite Yoga Companion Kit', qty: 1, price: '77.00', taxPercentBps: 1900 }],
    shipping: '5.00',
  },
];
