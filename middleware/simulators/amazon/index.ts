/**
 * Simulated Amazon SP-API Finances v0 (financesV0.json):
 *   GET /finances/v0/orders/{orderId}/financialEvents
 *   GET /finances/v0/financialEvents?PostedAfter=&PostedBefore=&MaxResultsPerPage=  (or NextToken alone)
 * Login with Amazon token endpoint on the same server (its URL is injectable into the connector):
 *   POST /auth/o2/token  form grant_type=refresh_token&refresh_token=&client_id=&client_secret=
 *   → { access_token: "Atza|…", token_type: "bearer", expires_in, refresh_token }
 *   wrong client → 401 invalid_client; wrong or revoked refresh token → 400 invalid_grant.
 * x-amz-access-token required: a token this simulator issued and not yet expired (else 403 Unauthorized). Amazon has no seller refund API and no refund push: refunds made in Seller Central
 * appear as RefundEventList entries (ShipmentEvents with ShipmentItemAdjustmentList), which the middleware polls.
 * Signs follow the seller's view: refund charge adjustments negative, refunded fees positive.
 */
import { formatMoney, money, parseMoney } from '../../../core/money';
import { JsonNumber } from '../../connectors/shared/json';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type RequestLog, type Route, type SimRequest, type SimResponse, startServer } from '../shared/server';
import { expectState, openSimulatorState, restoreMap, trackChanges, type SimulatorPersistence } from '../shared/state';

export interface AmazonSimOrderInput {
  currency?: string;
  marketplace?: string;
  items: { sku: string; quantity: number; price: string; tax?: string }[];
  shipping?: string;
}

interface SimItem {
  orderItemId: string;
  sku: string;
  quantity: number;
  /** Per unit, minor units. */
  unitPrice: number;
  unitTax: number;
  refunded: number;
}

interface SimOrder {
  amazonOrderId: string;
  currency: string;
  marketplace: string;
  items: SimItem[];
  shipping: number;
  shippingRefunded: number;
  postedDate: string;
}

type Event = Record<string, unknown> & { AmazonOrderId: string; PostedDate: string };

export const AMAZON_SIM_DEFAULTS = {
  accessToken: 'Atza|amazon_sandbox_access_token',
  lwaClientId: 'amzn1.application-oa2-client.sandbox0000000000000000',
  lwaClientSecret: 'amzn1.oa2-cs.v1.sandbox0000000000000000000000000000',
  refreshToken: 'Atzr|amazon_sandbox_refresh_token',
  /** LWA access tokens live an hour. */
  accessTokenTtlSeconds: 3600,
} as const;

export interface AmazonSimulatorOptions {
  /** An access token treated as issued at start (valid for `accessTokenTtlSeconds`). */
  accessToken?: string;
  lwaClientId?: string;
  lwaClientSecret?: string;
  /** The seller's refresh token the LWA endpoint accepts. */
  refreshToken?: string;
  accessTokenTtlSeconds?: number;
  seedSampleOrders?: boolean;
  /**
   * listFinancialEvents response bodies as Amazon publishes them (JSON text, e.g. the model's sandbox responses),
   * served verbatim as the first pages of every poll: a poll's first call gets the first, each call with the
   * NextToken the previous page carries gets the next, and the last one's NextToken leads to this simulator's own
   * events. Not persisted.
   */
  publishedPages?: readonly string[];
  now?: () => Date;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startAmazonSimulator(options: AmazonSimulatorOptions & SimulatorPersistence = {}) {
  const accessToken = options.accessToken ?? AMAZON_SIM_DEFAULTS.accessToken;
  const now = options.now ?? (() => new Date());
  const lwa = {
    clientId: options.lwaClientId ?? AMAZON_SIM_DEFAULTS.lwaClientId,
    clientSecret: options.lwaClientSecret ?? AMAZON_SIM_DEFAULTS.lwaClientSecret,
    refreshToken: options.refreshToken ?? AMAZON_SIM_DEFAULTS.refreshToken,
    ttlSeconds: options.accessTokenTtlSeconds ?? AMAZON_SIM_DEFAULTS.accessTokenTtlSeconds,
  };
  /** Issued access token → expiry (ms on the simulator's clock). */
  const issued = new Map<string, number>([[accessToken, now().getTime() + lwa.ttlSeconds * 1000]]);
  let minted = 0;
  let refreshRevoked = false;
  const lwaError = (status: number, error: string, description: string): SimResponse => ({ status, body: { error, error_description: description } });
  function lwaToken(req: SimRequest): SimResponse {
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return lwaError(400, 'invalid_request', 'request must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.rawBody);
    if (form.get('grant_type') !== 'refresh_token') return lwaError(400, 'unsupported_grant_type', 'the grant type is not supported');
    if (!sameText(form.get('client_id') ?? '', lwa.clientId) || !sameText(form.get('client_secret') ?? '', lwa.clientSecret)) return lwaError(401, 'invalid_client', 'Client authentication failed');
    if (refreshRevoked || !sameText(form.get('refresh_token') ?? '', lwa.refreshToken)) return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
    const token = `Atza|sim${randomBytes(24).toString('base64url')}`;
    issued.set(token, now().getTime() + lwa.ttlSeconds * 1000);
    minted += 1;
    return { status: 200, body: { access_token: token, refresh_token: lwa.refreshToken, token_type: 'bearer', expires_in: lwa.ttlSeconds } };
  }
  const validToken = (token: unknown): boolean => {
    const expiresAt = typeof token === 'string' ? issued.get(token) : undefined;
    return expiresAt !== undefined && now().getTime() < expiresAt;
  };
  let seq = 1;
  const state = {
    orders: new Map<string, SimOrder>(),
    shipmentEvents: [] as Event[],
    refundEvents: [] as Event[],
    requests: [] as RequestLog,
  };

  const amount = (v: number, c: string) => ({ CurrencyCode: c, CurrencyAmount: new JsonNumber(formatMoney(money(v, c))) });
  const charge = (type: string, v: number, c: string) => ({ ChargeType: type, ChargeAmount: amount(v, c) });
  const digits = (n: number, width: number) => String(n).padStart(width, '0');
  // Amazon posts events with a delay; the simulator posts them a few minutes in the past so they are listable.
  const posted = () => new Date(now().getTime() - 3 * 60_000).toISOString();

  function createOrder(input: AmazonSimOrderInput): SimOrder {
    const currency = input.currency ?? 'USD';
    const n = seq++;
    const order: SimOrder = {
      amazonOrderId: `114-${digits(1000000 + n, 7)}-${digits(2000000 + n, 7)}`,
      currency,
      marketplace: input.marketplace ?? 'Amazon.com',
      items: input.items.map((i, k) => ({
        orderItemId: `${digits(60000000000000 + n * 100 + k, 14)}`,
        sku: i.sku,
        quantity: i.quantity,
        unitPrice: parseMoney(i.price, currency).amount,
        unitTax: parseMoney(i.tax ?? '0', currency).amount,
        refunded: 0,
      })),
      shipping: parseMoney(input.shipping ?? '0', currency).amount,
      shippingRefunded: 0,
      postedDate: posted(),
    };
    state.orders.set(order.amazonOrderId, order);
    const c = currency;
    state.shipmentEvents.push({
      AmazonOrderId: order.amazonOrderId,
      SellerOrderId: order.amazonOrderId,
      MarketplaceName: order.marketplace,
      PostedDate: order.postedDate,
      ShipmentItemList: order.items.map((i, k) => ({
        SellerSKU: i.sku,
        OrderItemId: i.orderItemId,
        QuantityShipped: i.quantity,
        ItemChargeList: [
          charge('Principal', i.unitPrice * i.quantity, c),
          charge('Tax', i.unitTax * i.quantity, c),
          ...(k === 0 && order.shipping > 0 ? [charge('Shipping', order.shipping, c)] : []),
        ],
        ItemFeeList: [{ FeeType: 'Commission', FeeAmount: amount(-Math.floor((i.unitPrice * i.quantity * 15) / 100), c) }],
      })),
    });
    return order;
  }

  /** A refund made in Seller Central; it shows up as a refund event. */
  function issueRefund(orderId: string, issue: { items: { sku: string; quantity: number }[]; shipping?: boolean; restockingFee?: string }) {
    const o = state.orders.get(orderId);
    if (!o) throw new Error(`no simulated Amazon order ${orderId}`);
    const c = o.currency;
    const restockingFee = parseMoney(issue.restockingFee ?? '0', c).amount;
    const adjustments = issue.items.map((r, k) => {
      const item = o.items.find((i) => i.sku === r.sku);
      if (!item || r.quantity < 1 || item.refunded + r.quantity > item.quantity) throw new Error(`cannot refund ${r.quantity} of ${r.sku}`);
      item.refunded += r.quantity;
      const principal = item.unitPrice * r.quantity;
      const shippingBack = k === 0 && issue.shipping ? o.shipping - o.shippingRefunded : 0;
      o.shippingRefunded += shippingBack;
      return {
        SellerSKU: item.sku,
        OrderItemId: item.orderItemId,
        OrderAdjustmentItemId: `${digits(70000000000000 + seq++, 14)}`,
        QuantityShipped: r.quantity,
        ItemChargeAdjustmentList: [
          charge('Principal', -principal, c),
          charge('Tax', -item.unitTax * r.quantity, c),
          ...(shippingBack > 0 ? [charge('Shipping', -shippingBack, c)] : []),
          ...(k === 0 && restockingFee > 0 ? [charge('RestockingFee', restockingFee, c)] : []),
        ],
        ItemFeeAdjustmentList: [
          { FeeType: 'Commission', FeeAmount: amount(Math.floor((principal * 15) / 100), c) },
          { FeeType: 'RefundCommission', FeeAmount: amount(-Math.min(500, Math.floor((principal * 3) / 100)), c) },
        ],
      };
    });
    const event: Event = { AmazonOrderId: o.amazonOrderId, SellerOrderId: o.amazonOrderId, MarketplaceName: o.marketplace, PostedDate: posted(), ShipmentItemAdjustmentList: adjustments };
    state.refundEvents.push(event);
    return event;
  }

  const amazonError = (status: number, code: string, message: string): SimResponse => ({ status, body: { errors: [{ code, message, details: '' }] } });
  const guard = (handler: (req: SimRequest) => SimResponse): Route['handle'] => (req) =>
    validToken(req.headers['x-amz-access-token']) ? handler(req) : amazonError(403, 'Unauthorized', 'Access to requested resource is denied.');

  const tokens = new Map<string, { after: number; before: number; offset: number; size: number }>();

  function page(after: number, before: number, offset: number, size: number): SimResponse {
    const inRange = (e: Event) => Date.parse(e.PostedDate) > after && Date.parse(e.PostedDate) <= before;
    // One list of events in posted order, paged across both lists.
    const all = [...state.shipmentEvents.filter(inRange).map((e) => ({ kind: 'ShipmentEventList' as const, e })), ...state.refundEvents.filter(inRange).map((e) => ({ kind: 'RefundEventList' as const, e }))].sort((a, b) => Date.parse(a.e.PostedDate) - Date.parse(b.e.PostedDate));
    const slice = all.slice(offset, offset + size);
    let nextToken: string | undefined;
    if (offset + size < all.length) {
      nextToken = Buffer.from(`${after}:${before}:${offset + size}:${seq++}`).toString('base64');
      tokens.set(nextToken, { after, before, offset: offset + size, size });
    }
    return {
      status: 200,
      body: {
        payload: {
          ...(nextToken ? { NextToken: nextToken } : {}),
          FinancialEvents: {
            ShipmentEventList: slice.filter((x) => x.kind === 'ShipmentEventList').map((x) => x.e),
            RefundEventList: slice.filter((x) => x.kind === 'RefundEventList').map((x) => x.e),
          },
        },
      },
    };
  }

  // With a state file (shared/state.ts): orders, financial events, the sequence, issued access tokens (with their
  // expiry), the refresh token's revocation and open NextTokens survive a restart.
  const persisted = openSimulatorState('amazon', options);
  const saved = (persisted?.read() ?? null) as Record<string, unknown> | null;
  if (persisted && saved) {
    const file = persisted.file;
    expectState(Number.isSafeInteger(saved.seq) && Number.isSafeInteger(saved.minted) && typeof saved.refreshRevoked === 'boolean', file, 'seq, minted and refreshRevoked are required');
    expectState(Array.isArray(saved.shipmentEvents) && Array.isArray(saved.refundEvents), file, 'shipmentEvents and refundEvents must be lists');
    expectState(saved.issued instanceof Map && [...(saved.issued as Map<unknown, unknown>).values()].every((v) => typeof v === 'number'), file, 'issued must map tokens to expiry times');
    seq = saved.seq as number;
    minted = saved.minted as number;
    refreshRevoked = saved.refreshRevoked as boolean;
    restoreMap(state.orders, saved.orders, file, 'orders');
    state.shipmentEvents.push(...(saved.shipmentEvents as Event[]));
    state.refundEvents.push(...(saved.refundEvents as Event[]));
    for (const [k, v] of saved.issued as Map<string, number>) issued.set(k, v);
    restoreMap(tokens, saved.nextTokens, file, 'nextTokens');
  }
  const snapshot = () => ({ seq, minted, refreshRevoked, issued, orders: state.orders, shipmentEvents: state.shipmentEvents, refundEvents: state.refundEvents, nextTokens: tokens });

  // Published pages of the poll in progress: where it is, and the NextToken the last page served carries.
  const published = options.publishedPages ?? [];
  let publishedPoll: { after: number; before: number; size: number; next: number; token: string } | null = null;
  function servePublished(poll: NonNullable<typeof publishedPoll>, text: string): SimResponse {
    const body = JSON.parse(text) as { payload?: { NextToken?: unknown } };
    const nextToken = typeof body.payload?.NextToken === 'string' ? body.payload.NextToken : null;
    // A page without a NextToken ends the poll (the simulator's own events are then not reached).
    publishedPoll = nextToken ? { ...poll, next: poll.next + 1, token: nextToken } : null;
    return { status: 200, raw: { text, contentType: 'application/json' } };
  }

  const routes: Route[] = [
    { method: 'POST', pattern: /^\/auth\/o2\/token$/, handle: lwaToken },
    {
      method: 'GET',
      pattern: /^\/finances\/v0\/orders\/([\w-]+)\/financialEvents$/,
      handle: guard((req) => {
        const id = req.params[0] ?? '';
        if (!state.orders.has(id)) return { status: 200, body: { payload: { FinancialEvents: { ShipmentEventList: [], RefundEventList: [] } } } };
        return {
          status: 200,
          body: { payload: { FinancialEvents: { ShipmentEventList: state.shipmentEvents.filter((e) => e.AmazonOrderId === id), RefundEventList: state.refundEvents.filter((e) => e.AmazonOrderId === id) } } },
        };
      }),
    },
    {
      method: 'GET',
      pattern: /^\/finances\/v0\/financialEvents$/,
      handle: guard((req) => {
        const token = req.query.get('NextToken');
        if (token && publishedPoll && token === publishedPoll.token && [...req.query.keys()].length === 1) {
          const poll = publishedPoll;
          const text = published[poll.next];
          if (text === undefined) {
            publishedPoll = null;
            return page(poll.after, poll.before, 0, poll.size);
          }
          return servePublished(poll, text);
        }
        if (token) {
          const t = tokens.get(token);
          if (!t || [...req.query.keys()].length > 1) return amazonError(400, 'InvalidInput', 'Invalid NextToken or NextToken sent with other parameters.');
          return page(t.after, t.before, t.offset, t.size);
        }
        const after = Date.parse(req.query.get('PostedAfter') ?? '');
        if (Number.isNaN(after)) return amazonError(400, 'InvalidInput', 'PostedAfter is required and must be an ISO 8601 date-time.');
        const beforeText = req.query.get('PostedBefore');
        const latest = now().getTime() - 2 * 60_000;
        const before = beforeText ? Date.parse(beforeText) : latest;
        if (Number.isNaN(before) || before > latest) return amazonError(400, 'InvalidInput', 'PostedBefore must be no later than two minutes before the time of the request.');
        const size = Number(req.query.get('MaxResultsPerPage') ?? 100);
        if (!Number.isInteger(size) || size < 1 || size > 100) return amazonError(400, 'InvalidInput', 'MaxResultsPerPage must be between 1 and 100.');
        const first = published[0];
        if (first !== undefined) return servePublished({ after, before, size, next: 0, token: '' }, first);
        return page(after, before, 0, size);
      }),
    },
  ];
  const server = await startServer(routes, state.requests, { errors: [{ code: 'NotFound', message: 'Resource not found', details: '' }] }, { afterRequest: () => persisted?.changed() });

  if (!saved && (options.seedSampleOrders ?? true)) for (const sample of AMAZON_SAMPLE_ORDERS) createOrder(sample);
  persisted?.attach(snapshot);

  return {
    url: server.url,
    accessToken,
    /** The LWA token endpoint (pass to the connector's token source). */
    tokenUrl: `${server.url}/auth/o2/token`,
    lwaClientId: lwa.clientId,
    lwaClientSecret: lwa.clientSecret,
    refreshToken: lwa.refreshToken,
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
    issueRefund: trackChanges(persisted, issueRefund),
    /** Access tokens the LWA endpoint issued so far. */
    minted: () => minted,
    /** The seller withdrew consent: the refresh token answers invalid_grant from now on. */
    revokeRefreshToken: () => {
      refreshRevoked = true;
      persisted?.changed();
    },
  };
}

export type AmazonSimulator = Awaited<ReturnType<typeof startAmazonSimulator>>;

export const AMAZON_SAMPLE_ORDERS: readonly AmazonSimOrderInput[] = [
  { currency: 'USD', items: [{ sku: 'edifier-p270-gold', quantity: 1, price: '27.99', tax: '2.31' }, { sku: 'USB-C-CABLE-2M', quantity: 3, price: '9.99', tax: '0.82' }], shipping: '4.99' },
  { currency: 'EUR', marketplace: 'Amazon.de', items: [{ sku: 'KAFFEE-500G', quantity: 2, price: '12.49', tax: '0.87' }] },
];
