/**
 * The refund flow in the sandbox: simulated Shopify, Magento, eBay and Amazon stores with sample orders of each
 * billing kind that match orders in the local NetSuite account (cash sale, paid invoice, open invoice, unbilled with
 * a customer deposit), the sandbox channels pointed at them, and a small local console to issue test refunds both
 * ways and watch them sync:
 *   GET  {console}/                                         the console's web page (console-page.ts)
 *   GET  {console}/orders                                   the sample orders
 *   GET  {console}/orders/{platform}/{orderId}/refunds      the order's refunds (both directions) and their state
 *   POST {console}/orders/{platform}/{orderId}/refund       refund on the platform (body: { amount?, lines? })
 *   POST {console}/orders/{platform}/{orderId}/netsuite-refund   refund in NetSuite (cash refund or credit memo)
 * Carts (Shopify, Magento) sync NetSuite -> cart and marketplaces (eBay, Amazon) sync to NetSuite (the defaults),
 * so both directions are there to try. The console listens on the sandbox host only and is for trying things out.
 *
 * Even on loopback, a browser visiting another site could reach it, so the console answers only requests whose Host
 * is its own (127.0.0.1, localhost, [::1] or the configured host, with its port; else 421 misdirected_request), and
 * a POST only with the token of this start (in its page) in X-Ledgerbridge-Console-Token, Content-Type
 * application/json and, when the browser sends them, an Origin of the console and Sec-Fetch-Site same-origin (else
 * 403 or 415 with a code).
 */
import type { LocalAccount } from '../../emulator';
import { defaultSandboxSeed, loadSeed, parseSeed } from '../../emulator/seed';
import type { RunningMiddleware } from '../runtime/server';
import { startShopifySimulator, type ShopifySimulator } from '../simulators/shopify';
import { startMagentoSimulator, type MagentoSimulator } from '../simulators/magento';
import { startEbaySimulator, type EbaySimulator } from '../simulators/ebay';
import { startAmazonSimulator, type AmazonSimulator } from '../simulators/amazon';
import { startServer, type Route, type SimRequest, type SimResponse } from '../simulators/shared/server';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CONSOLE_TOKEN_HEADER, consolePage } from './refund-console-page';
import { listOrderRefunds, type LookupMatch } from '../flows/refunds/operations';
import { updateChannel, getPublicChannel } from '../tenancy/tenancy-service';
import { SandboxWorldError } from './sandbox-world';

export interface RefundSandboxChannel {
  id: string;
  kind: string;
  secret?: string;
}

export interface SampleOrder {
  platform: 'shopify' | 'magento' | 'ebay' | 'amazon';
  orderId: string;
  billing: 'cash_sale' | 'invoice_paid' | 'invoice_open' | 'deposit';
  netsuite: { salesOrderId: string; billingType: string | null; billingId: string | null };
  direction: 'netsuite_to_platform' | 'platform_to_netsuite';
}

export interface RefundSandbox {
  ready: {
    consoleUrl: string;
    /** The token the console's POSTs carry in X-Ledgerbridge-Console-Token (also in its page); new on each start. */
    consoleToken: string;
    simulators: Record<string, { url: string }>;
    sampleOrders: SampleOrder[];
  };
  shopify: ShopifySimulator;
  magento: MagentoSimulator;
  ebay: EbaySimulator;
  amazon: AmazonSimulator;
  close(): Promise<void>;
}

const BILLINGS = ['cash_sale', 'invoice_paid', 'invoice_open', 'deposit'] as const;
const STOVES = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };

function seedOrder(account: LocalAccount, platform: string, orderId: string, billing: SampleOrder['billing']): SampleOrder['netsuite'] {
  const externalId = `sandbox-${platform}-${orderId}`;
  const seed = parseSeed(
    {
      orders: [
        {
          externalId,
          storefrontOrderId: orderId,
          customer: 'sandbox-cust-jane',
          billing: billing === 'cash_sale' ? 'cashsale' : billing === 'deposit' ? 'none' : 'invoice',
          ...(billing === 'invoice_paid' ? { paid: true } : {}),
          ...(billing === 'deposit' ? { customerDeposit: { amount: '99.00' } } : {}),
          lines: [{ sku: STOVES.sku, quantity: STOVES.quantity, price: STOVES.price }],
        },
      ],
    },
    defaultSandboxSeed(),
  );
  const o = loadSeed(account.engine, seed).orders[externalId];
  if (!o) throw new Error(`sandbox order ${externalId} was not seeded`);
  const billingType = o.cashSale ? 'cashsale' : o.invoice ? 'invoice' : o.customerDeposit ? 'customerdeposit' : null;
  return { salesOrderId: o.salesOrder, billingType, billingId: o.cashSale ?? o.invoice ?? o.customerDeposit ?? null };
}

/** How many of a refund's latest state changes the console shows. */
const HISTORY_SHOWN = 10;

/** A refund's status as the console shows it: the lookup match without what the page does not use. */
function refundStatus(m: LookupMatch) {
  return {
    direction: m.direction ?? null,
    state: m.state,
    stateCode: m.stateCode,
    stateMessage: m.stateMessage,
    storefrontRefundId: m.storefrontRefundId ?? null,
    netsuite: { recordType: m.netsuite.recordType, internalId: m.netsuite.internalId, total: m.netsuite.total, currency: m.netsuite.currency },
    syncRecordId: m.syncRecordId,
    history: m.history.slice(-HISTORY_SHOWN),
  };
}

export async function startRefundSandbox(deps: {
  middleware: RunningMiddleware;
  account: LocalAccount;
  tenantId: string;
  channels: readonly RefundSandboxChannel[];
  /** A simulated eBay already running (the sandbox starts it first: the middleware fetches eBay's keys from it); its owner closes it. */
  ebay?: EbaySimulator;
  /**
   * Keep the simulated Shopify, Magento and Amazon in these state files (tagged `tag`), e.g. in the sandbox's data
   * folder; without it they live in memory only.
   */
  persist?: { files: Record<'shopify' | 'magento' | 'amazon', string>; tag: string };
  /**
   * The sample orders of an earlier start whose simulators and local account were restored: they are checked
   * (each must still be on its simulator and in the local account under the same sales order) instead of made anew.
   */
  sampleOrders?: readonly SampleOrder[];
}): Promise<RefundSandbox> {
  const { middleware: mw, account } = deps;
  const channel = (kind: string) => {
    const found = deps.channels.find((c) => c.kind === kind);
    if (!found) throw new Error(`the sandbox tenant has no ${kind} channel`);
    return found;
  };
  const shopifyChannel = channel('shopify');
  const kept = (platform: 'shopify' | 'magento' | 'amazon') => (deps.persist ? { stateFile: deps.persist.files[platform], stateTag: deps.persist.tag } : {});
  const started = await Promise.allSettled([
    startShopifySimulator({ seedSampleOrders: false, ...(shopifyChannel.secret ? { webhookSecret: shopifyChannel.secret } : {}), webhookUrl: `${mw.url}/webhooks/shopify/${shopifyChannel.id}`, ...kept('shopify') }),
    startMagentoSimulator({ seedSampleOrders: false, ...kept('magento') }),
    startAmazonSimulator({ seedSampleOrders: false, ...kept('amazon') }),
  ]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // One simulator refused its state file: close the others (they write nothing new) and say why.
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw failed.reason;
  }
  const [shopify, magento, amazon] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [ShopifySimulator, MagentoSimulator, AmazonSimulator];
  const ebay = deps.ebay ?? (await startEbaySimulator({ seedSampleOrders: false }));
  const closeSimulators = () => Promise.all([shopify.close(), magento.close(), ...(deps.ebay ? [] : [ebay.close()]), amazon.close()]);
  const holding = account.engine.search({ type: 'location', filters: [['name', 'is', 'Returns Holding']], columns: [] })[0]?.id;
  const refunds = { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' }, ...(holding ? { nonRestockLocationId: String(holding) } : {}) };
  const wire: Array<{ kind: string; url: string; secrets: Record<string, string>; settings?: Record<string, unknown> }> = [
    { kind: 'shopify', url: shopify.url, secrets: { accessToken: shopify.accessToken } },
    { kind: 'magento', url: magento.restUrl, secrets: { accessToken: magento.accessToken } },
    // The marketplaces' access tokens are minted from these (eBay's refresh-token grant, Login with Amazon).
    { kind: 'ebay', url: ebay.url, secrets: { clientId: ebay.clientId, clientSecret: ebay.clientSecret, refreshToken: ebay.refreshToken } },
    { kind: 'amazon', url: amazon.url, secrets: { lwaClientId: amazon.lwaClientId, lwaClientSecret: amazon.lwaClientSecret, refreshToken: amazon.refreshToken }, settings: { sellerId: 'SANDBOXSELLER' } },
  ];
  for (const w of wire) {
    const id = channel(w.kind).id;
    const current = await getPublicChannel(mw.db, mw.secretBox, deps.tenantId, id);
    if (!current) throw new Error(`sandbox channel ${id} is missing`);
    const { refundDirection: _direction, ...rest } = current.settings;
    const updated = await updateChannel(mw.db, mw.secretBox, deps.tenantId, id, { settings: { ...rest, ...w.settings, refunds }, secrets: w.secrets });
    if (!updated.ok) throw new Error(`sandbox channel ${id}: ${updated.error.message}`);
    mw.refunds.storefronts.setBaseUrl(id, w.url);
  }

  const sampleOrders: SampleOrder[] = [];
  if (deps.sampleOrders) {
    const onPlatform = { shopify: shopify.state.orders, magento: magento.state.orders, ebay: ebay.state.orders, amazon: amazon.state.orders };
    for (const o of deps.sampleOrders) {
      const inAccount = account.engine.findByExternalId('salesorder', `sandbox-${o.platform}-${o.orderId}`);
      const problems = [
        ...(onPlatform[o.platform].has(o.orderId) ? [] : [`is not on the simulated ${o.platform}`]),
        ...(inAccount === o.netsuite.salesOrderId ? [] : [`is not in the local NetSuite account as sales order ${o.netsuite.salesOrderId}`]),
      ];
      if (problems.length > 0) {
        await closeSimulators();
        throw new SandboxWorldError(
          `the sample ${o.platform} order ${o.orderId} ${problems.join(' and ')}: the data folder mixes the state files of different sandboxes. Start with --data-dir <another folder> for a new sandbox, or delete the data folder to start afresh`,
        );
      }
      sampleOrders.push({ ...o, netsuite: { ...o.netsuite } });
    }
  } else {
    const add = (platform: SampleOrder['platform'], orderId: string, billing: SampleOrder['billing']) =>
      sampleOrders.push({ platform, orderId, billing, netsuite: seedOrder(account, platform, orderId, billing), direction: platform === 'shopify' || platform === 'magento' ? 'netsuite_to_platform' : 'platform_to_netsuite' });
    for (const billing of BILLINGS) {
      add('shopify', shopify.createOrder({ lines: [STOVES], email: 'jane.doe@example.test' }).id, billing);
      add('magento', String(magento.createOrder({ lines: [{ sku: STOVES.sku, qty: STOVES.quantity, price: STOVES.price }] }).entityId), billing);
      add('ebay', ebay.createOrder({ lines: [STOVES] }).orderId, billing);
      add('amazon', amazon.createOrder({ items: [STOVES] }).amazonOrderId, billing);
    }
  }

  const token = randomBytes(32).toString('base64url');
  const page = consolePage(token);
  const find = (platform: string, orderId: string) => sampleOrders.find((o) => o.platform === platform && o.orderId === orderId);
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/$/, handle: () => ({ status: 200, raw: { text: page.html, contentType: 'text/html; charset=utf-8' }, headers: page.headers }) },
    { method: 'GET', pattern: /^\/orders$/, handle: () => ({ status: 200, body: { orders: sampleOrders } }) },
    {
      method: 'GET',
      pattern: /^\/orders\/(shopify|magento|ebay|amazon)\/([\w.-]+)\/refunds$/,
      handle: async (req) => {
        const [platform, orderId] = req.params as [string, string];
        if (!find(platform, orderId)) return { status: 404, body: { error: { code: 'order_not_found', message: `${platform} order ${orderId} is not one of the sandbox's sample orders.` } } };
        const refunds = await listOrderRefunds(mw.db, deps.tenantId, channel(platform).id, orderId);
        return { status: 200, body: { platform, orderId, refunds: refunds.map(refundStatus) } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/orders\/(shopify|magento|ebay|amazon)\/([\w.-]+)\/refund$/,
      handle: async (req) => {
        const [platform, orderId] = req.params as [string, string];
        const body = (req.body ?? {}) as { amount?: string; quantity?: number };
        const quantity = body.quantity ?? 1;
        try {
          if (platform === 'shopify') return { status: 201, body: { refund: (await shopify.issueRefund(orderId, { lines: [{ sku: STOVES.sku, quantity }], ...(body.amount ? { amount: body.amount } : {}) })).refund } };
          if (platform === 'magento') return { status: 201, body: { creditMemo: magento.issueRefund(orderId, { items: [{ sku: STOVES.sku, qty: quantity }] }) } };
          if (platform === 'ebay') return { status: 201, body: { refund: ebay.issueRefund(orderId, { lines: [{ sku: STOVES.sku, amount: body.amount ?? '49.50' }] }) } };
          return { status: 201, body: { refund: amazon.issueRefund(orderId, { items: [{ sku: STOVES.sku, quantity }] }) } };
        } catch (error) {
          return { status: 422, body: { error: { code: 'refund_refused', message: (error as Error).message } } };
        }
      },
    },
    {
      method: 'POST',
      pattern: /^\/orders\/(shopify|magento|ebay|amazon)\/([\w.-]+)\/netsuite-refund$/,
      handle: (req) => {
        const [platform, orderId] = req.params as [string, string];
        const order = find(platform, orderId);
        if (!order?.netsuite.billingId || order.netsuite.billingType === 'customerdeposit') {
          return { status: 422, body: { error: { code: 'not_billed', message: 'Only orders billed by cash sale or invoice get a cash refund or credit memo in NetSuite.' } } };
        }
        // As a person would in the NetSuite UI: Refund on the cash sale, Credit on the invoice; User Events fire.
        const toType = order.netsuite.billingType === 'cashsale' ? 'cashrefund' : 'creditmemo';
        try {
          const id = account.ui.transform(order.netsuite.billingType as string, order.netsuite.billingId, toType);
          return { status: 201, body: { recordType: toType, id } };
        } catch (error) {
          return { status: 422, body: { error: { code: 'netsuite_refused', message: (error as Error).message } } };
        }
      },
    },
  ];
  let port = 0;
  const configuredHost = mw.config.http.host;
  const guard = (req: SimRequest): SimResponse | null => consoleGuard(req, { port, configuredHost, token });
  const dispatch = async (req: SimRequest): Promise<SimResponse> => {
    const refused = guard(req);
    if (refused) return refused;
    for (const route of routes) {
      const m = route.method === req.method ? route.pattern.exec(req.path) : null;
      if (m) return route.handle({ ...req, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')) });
    }
    return { status: 404, body: { error: { code: 'not_found', message: `${req.method} ${req.path} is not a console route.` } } };
  };
  const consoleServer = await startServer(
    GUARDED_METHODS.map((method) => ({ method, pattern: /^/, handle: dispatch })),
    [],
  );
  port = Number(new URL(consoleServer.url).port);
  return {
    ready: {
      consoleUrl: consoleServer.url,
      consoleToken: token,
      simulators: { shopify: { url: shopify.url }, magento: { url: magento.url }, ebay: { url: ebay.url }, amazon: { url: amazon.url } },
      sampleOrders,
    },
    shopify,
    magento,
    ebay,
    amazon,
    async close() {
      await Promise.all([consoleServer.close(), closeSimulators()]);
    },
  };
}

/** Every method the console answers, so that each one passes the guard (the others get 404 after it). */
const GUARDED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function refusal(status: number, code: string, message: string): SimResponse {
  return { status, body: { error: { code, message } }, headers: { 'Cache-Control': 'no-store' } };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

/** The Host values the console answers to: loopback names and the configured host, each with the console's port. */
export function consoleHosts(port: number, configuredHost: string): string[] {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  const wildcard = configuredHost === '0.0.0.0' || configuredHost === '::' || configuredHost === '';
  if (!wildcard) names.push(configuredHost.includes(':') && !configuredHost.startsWith('[') ? `[${configuredHost}]` : configuredHost);
  return [...new Set(names.map((n) => `${n.toLowerCase()}:${port}`))];
}

/**
 * Refuses what the console must not answer: another Host (DNS rebinding), and on POST a request another site could
 * make (no token, a body other than JSON, another Origin, Sec-Fetch-Site other than same-origin). Null lets it through.
 */
export function consoleGuard(req: SimRequest, ctx: { port: number; configuredHost: string; token: string }): SimResponse | null {
  const hosts = consoleHosts(ctx.port, ctx.configuredHost);
  const host = single(req.headers.host)?.toLowerCase();
  if (!host || !hosts.includes(host)) {
    return refusal(421, 'misdirected_request', `The refund console answers only at ${hosts.map((h) => `http://${h}`).join(', ')}.`);
  }
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && single(site) !== 'same-origin') {
    return refusal(403, 'cross_site_request', 'The refund console takes actions from its own page only (Sec-Fetch-Site is not same-origin).');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.map((h) => `http://${h}`).includes(single(origin)?.toLowerCase() ?? '')) {
    return refusal(403, 'cross_origin_request', 'The refund console takes actions from its own page only (Origin is another site).');
  }
  const type = single(req.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return refusal(415, 'unsupported_media_type', 'Send the action as JSON (Content-Type: application/json).');
  }
  const sent = single(req.headers[CONSOLE_TOKEN_HEADER]);
  if (!sent) return refusal(403, 'console_token_missing', `The ${CONSOLE_TOKEN_HEADER} header is missing: actions come from the console's own page, which holds the token.`);
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(ctx.token, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return refusal(403, 'console_token_invalid', 'The console token is not this console\'s (it changes on each start: reload the page).');
  }
  if (req.body instanceof Error) return refusal(400, 'invalid_json', `The body is not JSON: ${req.body.message}`);
  return null;
}
