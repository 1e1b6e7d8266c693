/**
 * Simulated eBay Sell Fulfillment API (v1):
 *   GET  /sell/fulfillment/v1/order/{orderId}
 *   GET  /sell/fulfillment/v1/order?filter=lastmodifieddate:[from..]&limit=&offset=
 *   POST /sell/fulfillment/v1/order/{orderId}/issue_refund   (asynchronous: answers PENDING)
 * Bearer user access token required: one the token endpoint issued (refresh-token grant) and not yet expired. eBay's REST notifications have no refund topic, so nothing is pushed: refunds are polled.
 * A refund made "without a buyer request" changes the order's payment status but is not listed, to exercise the
 * unreadable-refund report (that eBay behaves this way is UNCONFIRMED; see the connector's mapper).
 * Notification API: signed notifications and GET /commerce/notification/v1/public_key/{id} (./notifications.ts).
 * OAuth: POST /identity/v1/oauth2/token, the client-credentials grant for application tokens and the
 * refresh-token grant for user tokens (./oauth.ts).
 */
import { formatMoney, money, parseMoney } from '../../../core/money';
import { type RequestLog, type Route, type SimRequest, type SimResponse, bearerToken, startServer } from '../shared/server';
import { createEbayNotifier } from './notifications';
import { createEbayOAuth, isEbayOAuthState } from './oauth';
import { expectState, openSimulatorState, restoreMap, trackChanges, type SimulatorPersistence } from '../shared/state';

interface SimLine {
  lineItemId: string;
  legacyItemId: string;
  sku: string;
  title: string;
  quantity: number;
  /** Line cost (all units), minor units. */
  cost: number;
}

interface SimRefund {
  refundId: string;
  amount: number;
  status: 'PENDING' | 'REFUNDED' | 'FAILED';
  date: string;
  /** lineItemId -> amount, for line-level refunds. */
  lines: Map<string, number>;
  listed: boolean;
  /** Served with its amount lacking the currency: a refund payload the connector cannot read. */
  withoutCurrency?: boolean;
}

interface SimOrder {
  orderId: string;
  currency: string;
  buyer: string;
  lines: SimLine[];
  delivery: number;
  total: number;
  refunds: SimRefund[];
  unlistedRefunded: number;
  createdAt: string;
  modifiedAt: string;
}

export interface EbaySimOrderInput {
  currency?: string;
  buyer?: string;
  lines: { sku: string; title?: string; quantity: number; price: string }[];
  delivery?: string;
}

export const EBAY_SIM_DEFAULTS = {
  accessToken: 'ebay_sandbox_user_token',
  applicationToken: 'ebay_sandbox_application_token',
  clientId: 'LedgerbridgeSandbox-SBX-0000000000-00000000',
  clientSecret: 'SBX-sandbox-client-secret-0000000000',
  applicationTokenTtlSeconds: 7200,
  refreshToken: 'v^1.1#i^1#r^1#sandbox_refresh_token',
  /** eBay's user access tokens live 2 hours. */
  userTokenTtlSeconds: 7200,
} as const;

/** Scopes the simulated seller consented to (the refund flow's). */
export const EBAY_SIM_USER_SCOPES = ['https://api.ebay.com/oauth/api_scope', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment', 'https://api.ebay.com/oauth/api_scope/sell.finances'] as const;

export interface EbaySimulatorOptions {
  /** A user token treated as issued at start (valid for `userTokenTtlSeconds`), for channels holding a current token. */
  accessToken?: string;
  /** The seller's refresh token the token endpoint accepts. */
  refreshToken?: string;
  /** Lifetime of user access tokens (eBay's: 7200 s). */
  userTokenTtlSeconds?: number;
  /** A fixed application token accepted besides the ones the token endpoint mints. */
  applicationToken?: string;
  /** Client credentials the token endpoint accepts (HTTP Basic). */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of minted application tokens (eBay's: 7200 s). */
  applicationTokenTtlSeconds?: number;
  seedSampleOrders?: boolean;
  now?: () => Date;
}

export async function startEbaySimulator(options: EbaySimulatorOptions & SimulatorPersistence = {}) {
  const accessToken = options.accessToken ?? EBAY_SIM_DEFAULTS.accessToken;
  const now = options.now ?? (() => new Date());
  const clientId = options.clientId ?? EBAY_SIM_DEFAULTS.clientId;
  const clientSecret = options.clientSecret ?? EBAY_SIM_DEFAULTS.clientSecret;
  const refreshToken = options.refreshToken ?? EBAY_SIM_DEFAULTS.refreshToken;
  const oauth = createEbayOAuth({
    clientId,
    clientSecret,
    fixedApplicationToken: options.applicationToken ?? EBAY_SIM_DEFAULTS.applicationToken,
    expiresInSeconds: options.applicationTokenTtlSeconds ?? EBAY_SIM_DEFAULTS.applicationTokenTtlSeconds,
    refreshToken,
    userScopes: EBAY_SIM_USER_SCOPES,
    userTokenTtlSeconds: options.userTokenTtlSeconds ?? EBAY_SIM_DEFAULTS.userTokenTtlSeconds,
    preIssuedUserToken: accessToken,
    now,
  });
  const notifications = createEbayNotifier({ isApplicationToken: oauth.isApplicationToken, now });
  let seq = 1;
  const state = { orders: new Map<string, SimOrder>(), requests: [] as RequestLog };

  function createOrder(input: EbaySimOrderInput): SimOrder {
    const currency = input.currency ?? 'USD';
    const n = seq++;
    const lines = input.lines.map((l, k) => ({
      lineItemId: `${10000000000 + n * 10 + k}`,
      legacyItemId: `${110000000000 + n * 10 + k}`,
      sku: l.sku,
      title: l.title ?? l.sku,
      quantity: l.quantity,
      cost: parseMoney(l.price, currency).amount * l.quantity,
    }));
    const delivery = parseMoney(input.delivery ?? '0', currency).amount;
    const at = now().toISOString();
    const order: SimOrder = {
      orderId: `${String(n).padStart(2, '0')}-${String(10000 + n).padStart(5, '0')}-${String(30000 + n).padStart(5, '0')}`,
      currency,
      buyer: input.buyer ?? `buyer_${n}`,
      lines,
      delivery,
      total: lines.reduce((a, l) => a + l.cost, 0) + delivery,
      refunds: [],
      unlistedRefunded: 0,
      createdAt: at,
      modifiedAt: at,
    };
    state.orders.set(order.orderId, order);
    return order;
  }

  const amount = (v: number, c: string) => ({ value: formatMoney(money(v, c)), currency: c });
  const refundedTotal = (o: SimOrder) => o.refunds.filter((r) => r.status !== 'FAILED').reduce((a, r) => a + r.amount, 0) + o.unlistedRefunded;

  function orderJson(o: SimOrder) {
    const c = o.currency;
    const refunded = refundedTotal(o);
    const listed = o.refunds.filter((r) => r.listed);
    const refundJson = (r: SimRefund, value: number) => ({ refundId: r.refundId, refundDate: r.date, refundStatus: r.status, amount: r.withoutCurrency ? { value: amount(value, c).value } : amount(value, c) });
    return {
      orderId: o.orderId,
      legacyOrderId: `${o.lines[0]?.legacyItemId ?? '0'}-${o.orderId.replace(/-/g, '').slice(0, 10)}`,
      creationDate: o.createdAt,
      lastModifiedDate: o.modifiedAt,
      orderFulfillmentStatus: 'FULFILLED',
      orderPaymentStatus: refunded === 0 ? 'PAID' : refunded >= o.total ? 'FULLY_REFUNDED' : 'PARTIALLY_REFUNDED',
      sellerId: 'ledgerbridge_sandbox',
      buyer: { username: o.buyer },
      pricingSummary: { priceSubtotal: amount(o.total - o.delivery, c), deliveryCost: amount(o.delivery, c), total: amount(o.total, c) },
      cancelStatus: { cancelState: 'NONE_REQUESTED', cancelRequests: [] },
      paymentSummary: {
        payments: [{ paymentMethod: 'EBAY', paymentStatus: 'PAID', amount: amount(o.total, c) }],
        refunds: listed.map((r) => refundJson(r, r.amount)),
        totalDueSeller: amount(o.total - refunded, c),
      },
      lineItems: o.lines.map((l) => ({
        lineItemId: l.lineItemId,
        legacyItemId: l.legacyItemId,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        lineItemCost: amount(l.cost, c),
        // Returned as empty arrays when the line has no promotion and the seller collects no tax.
        appliedPromotions: [],
        taxes: [],
        ebayCollectAndRemitTaxes: [],
        deliveryCost: { shippingCost: amount(0, c) },
        lineItemFulfillmentStatus: 'FULFILLED',
        total: amount(l.cost, c),
        refunds: listed.filter((r) => r.lines.has(l.lineItemId)).map((r) => refundJson(r, r.lines.get(l.lineItemId) ?? 0)),
      })),
    };
  }

  /**
   * The seller refunds in eBay. `buyerRequested: false` models a refund made without a return/cancellation
   * request: the money moves, the order status changes, the refund is not listed. `withoutCurrency` serves the
   * refund's amounts without their currency (a defective payload, to exercise the unreadable-item report).
   */
  function issueRefund(orderId: string, issue: { lines?: { sku: string; amount: string }[]; orderLevelAmount?: string; buyerRequested?: boolean; status?: SimRefund['status']; withoutCurrency?: boolean }) {
    const o = state.orders.get(orderId);
    if (!o) throw new Error(`no simulated eBay order ${orderId}`);
    const lines = new Map<string, number>();
    for (const l of issue.lines ?? []) {
      const line = o.lines.find((x) => x.sku === l.sku);
      if (!line) throw new Error(`order ${orderId} has no SKU ${l.sku}`);
      lines.set(line.lineItemId, parseMoney(l.amount, o.currency).amount);
    }
    const total = [...lines.values()].reduce((a, v) => a + v, 0) + parseMoney(issue.orderLevelAmount ?? '0', o.currency).amount;
    if (total <= 0 || total > o.total - refundedTotal(o)) throw new Error('refund amount out of range');
    o.modifiedAt = now().toISOString();
    if (issue.buyerRequested === false) {
      o.unlistedRefunded += total;
      return null;
    }
    const refund: SimRefund = { refundId: `5${String(seq++).padStart(9, '0')}`, amount: total, status: issue.status ?? 'REFUNDED', date: o.modifiedAt, lines, listed: true, ...(issue.withoutCurrency ? { withoutCurrency: true } : {}) };
    o.refunds.push(refund);
    return refund;
  }

  /** Completes PENDING refunds (eBay processes issueRefund asynchronously). */
  function settleRefunds(status: 'REFUNDED' | 'FAILED' = 'REFUNDED') {
    for (const o of state.orders.values()) {
      for (const r of o.refunds) {
        if (r.status === 'PENDING') {
          r.status = status;
          o.modifiedAt = now().toISOString();
        }
      }
    }
  }

  const ebayError = (status: number, errorId: number, message: string): SimResponse => ({ status, body: { errors: [{ errorId, domain: 'API_FULFILLMENT', category: 'REQUEST', message }] } });
  const guard = (handler: (req: SimRequest) => SimResponse): Route['handle'] => (req) =>
    oauth.isUserToken(bearerToken(req.headers))
      ? handler(req)
      : { status: 401, body: { errors: [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token', longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' }] } };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/sell\/fulfillment\/v1\/order\/([\w-]+)$/,
      handle: guard((req) => {
        const o = state.orders.get(req.params[0] ?? '');
        return o ? { status: 200, body: orderJson(o) } : ebayError(404, 32100, 'Invalid Order Id');
      }),
    },
    {
      method: 'GET',
      pattern: /^\/sell\/fulfillment\/v1\/order$/,
      handle: guard((req) => {
        const filter = req.query.get('filter') ?? '';
        const m = /^lastmodifieddate:\[([^\]]*?)\.\.([^\]]*)\]$/.exec(filter);
        if (filter && !m) return ebayError(400, 30800, `Invalid filter: ${filter}`);
        const from = m?.[1] ? Date.parse(m[1]) : -Infinity;
        const to = m?.[2] ? Date.parse(m[2]) : Infinity;
        const limit = Number(req.query.get('limit') ?? 50);
        const offset = Number(req.query.get('offset') ?? 0);
        const all = [...state.orders.values()].filter((o) => Date.parse(o.modifiedAt) >= from && Date.parse(o.modifiedAt) <= to);
        const page = all.slice(offset, offset + limit).map(orderJson);
        return { status: 200, body: { href: req.path, total: all.length, limit, offset, orders: page, ...(offset + limit < all.length ? { next: `${req.path}?filter=${encodeURIComponent(filter)}&limit=${limit}&offset=${offset + limit}` } : {}) } };
      }),
    },
    {
      method: 'POST',
      pattern: /^\/sell\/fulfillment\/v1\/order\/([\w-]+)\/issue_refund$/,
      handle: guard((req) => {
        const o = state.orders.get(req.params[0] ?? '');
        if (!o) return ebayError(404, 32100, 'Invalid Order Id');
        const body = req.body as { reasonForRefund?: string; orderLevelRefundAmount?: { value?: string; currency?: string } } | undefined;
        if (!body?.reasonForRefund) return ebayError(400, 32800, 'reasonForRefund is required');
        const value = body.orderLevelRefundAmount?.value;
        if (!value || body.orderLevelRefundAmount?.currency !== o.currency) return ebayError(400, 32806, 'Invalid refund amount');
        try {
          const refund = issueRefund(o.orderId, { orderLevelAmount: value, status: 'PENDING' });
          return { status: 200, body: { refundId: refund?.refundId, refundStatus: 'PENDING' } };
        } catch {
          return ebayError(400, 32806, 'Refund amount exceeds the refundable amount');
        }
      }),
    },
  ];
  // With a state file (shared/state.ts): orders with their refunds, the sequence and the token service's state
  // (issued tokens, the refresh token's revocation) survive a restart. The notification signing key does not.
  const persisted = openSimulatorState('ebay', options);
  const saved = (persisted?.read() ?? null) as Record<string, unknown> | null;
  if (persisted && saved) {
    expectState(Number.isSafeInteger(saved.seq), persisted.file, 'seq must be an integer');
    expectState(isEbayOAuthState(saved.oauth), persisted.file, 'oauth must hold the issued tokens, counts and revocation');
    seq = saved.seq as number;
    restoreMap(state.orders, saved.orders, persisted.file, 'orders');
    for (const o of state.orders.values()) {
      expectState(Array.isArray(o.refunds) && o.refunds.every((r) => r.lines instanceof Map), persisted.file, `order ${o.orderId} must list its refunds with their lines`);
    }
    if (isEbayOAuthState(saved.oauth)) oauth.restore(saved.oauth);
  }
  const snapshot = () => ({ seq, orders: state.orders, oauth: oauth.state() });

  const server = await startServer([...routes, ...notifications.routes, ...oauth.routes], state.requests, { errors: [{ errorId: 2002, domain: 'ACCESS', category: 'REQUEST', message: 'Resource not found' }] }, { afterRequest: () => persisted?.changed() });

  if (!saved && (options.seedSampleOrders ?? true)) for (const sample of EBAY_SAMPLE_ORDERS) createOrder(sample);
  persisted?.attach(snapshot);

  return {
    url: server.url,
    accessToken,
    clientId,
    clientSecret,
    refreshToken,
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
    settleRefunds: trackChanges(persisted, settleRefunds),
    notifications,
    oauth: { ...oauth, revokeAll: trackChanges(persisted, oauth.revokeAll), revokeRefreshToken: trackChanges(persisted, oauth.revokeRefreshToken) },
  };
}

export type EbaySimulator = Awaited<ReturnType<typeof startEbaySimulator>>;

export const EBAY_SAMPLE_ORDERS: readonly EbaySimOrderInput[] = [
  { currency: 'USD', buyer: 'vintage_finds_88', lines: [{ sku: 'CAM-CANON-AE1', title: 'Canon AE-1 35mm camera', quantity: 1, price: '189.99' }, { sku: 'LENS-50MM-F18', title: 'Canon FD 50mm f/1.8', quantity: 2, price: '45.50' }], delivery: '12.95' },
  { currency: 'GBP', buyer: 'tea_lover_uk', lines: [{ sku: 'TEAPOT-BROWN-BETTY', title: 'Brown Betty teapot', quantity: 1, price: '24.00' }], delivery: '3.99' },
];
