/**
 * The refund benchmark's NetSuite and Shopify, in their own process (so the middleware's process holds only the
 * middleware, as it would in production): the local NetSuite account behind its HTTP host, every RESTlet call held
 * until `callMs` have passed since it started (bench/netsuite/throughput.ts `paddedRunner`), counting the operations
 * each call carried and how long each took; and the simulated Shopify store, which makes the refunds and signs their
 * refunds/create deliveries (returned to the bench, which POSTs them). Started by refunds.ts with
 * child_process.fork and driven over the IPC channel: { id, cmd, ...args } in, { id, ok, value | error } out.
 */
import { randomBytes } from 'node:crypto';
import { orderExternalId } from '../../core/refunds';
import { createLocalAccount } from '../../emulator';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor } from '../../emulator/http';
import type { RestletRunner } from '../../emulator/http/restlet-runner';
import { defaultSandboxSeed, loadSeed, parseSeed, seedSandbox } from '../../emulator/seed';
import { startShopifySimulator, type RefundIssue } from '../../middleware/simulators/shopify';
import { paddedRunner } from '../netsuite/throughput';

export interface AccountOptions {
  accountId: string;
  concurrencyLimit: number;
  callMs: number;
}

export type Billing = 'cashsale' | 'invoice' | 'invoice_paid' | 'deposit';

const STOVE = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };
const RESTLET = 'customscript_lb_rl_api';

export async function main(args: string[]): Promise<number> {
  const options = JSON.parse(args[0] as string) as AccountOptions;
  const account = createLocalAccount({ accountId: options.accountId });
  seedSandbox(account.engine);
  const creds = generateSandboxCredentials();
  let padMs = 0;
  const padded = paddedRunner(account.restlets, () => padMs);
  const counts = { calls: 0, operations: 0, maxOperations: 0, callMsTotal: 0 };
  const runner: RestletRunner = {
    resolve: (script, deploy) => padded.resolve(script, deploy),
    async invoke(invocation) {
      let ops = 1;
      try {
        const body = JSON.parse(invocation.body) as { operations?: unknown[] };
        if (Array.isArray(body.operations)) ops = body.operations.length;
      } catch {
        // not JSON: one request, one operation
      }
      const started = performance.now();
      const outcome = await padded.invoke(invocation);
      counts.calls += 1;
      counts.operations += ops;
      counts.maxOperations = Math.max(counts.maxOperations, ops);
      counts.callMsTotal += performance.now() - started;
      return outcome;
    },
  };
  const host = createNetSuiteHost({ accountId: options.accountId, runner, records: account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: options.concurrencyLimit });
  const netsuite = await host.listen(0, '127.0.0.1');
  const shopify = await startShopifySimulator({ seedSampleOrders: false, webhookSecret: randomBytes(24).toString('hex') });
  const mainlineCount = (type: string) => account.engine.search({ type, filters: [['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).length;

  const commands: Record<string, (msg: Record<string, unknown>) => unknown> = {
    info: () => ({
      netsuite: { url: netsuite.url, tba: creds.tba, settings: host.settings(), callMs: padded.paddingMs() },
      shopify: { url: shopify.url, shopDomain: shopify.shopDomain, accessToken: shopify.accessToken, webhookSecret: shopify.webhookSecret },
    }),
    /** Pads every call from now on (off while the stack starts). */
    pad: () => {
      padMs = options.callMs;
      return padded.paddingMs();
    },
    /** `count` orders of two stoves on the store and, billed as asked, in the account; their Shopify ids. */
    orders: ({ billing, count }) => {
      const sims = Array.from({ length: count as number }, () => shopify.createOrder({ lines: [STOVE] }));
      const seed = parseSeed(
        {
          orders: sims.map((sim) => ({
            externalId: orderExternalId('shopify', shopify.shopDomain, sim.id),
            storefrontOrderId: sim.id,
            customer: 'sandbox-cust-acme',
            billing: billing === 'cashsale' ? 'cashsale' : billing === 'deposit' ? 'none' : 'invoice',
            ...(billing === 'invoice_paid' ? { paid: true } : {}),
            ...(billing === 'deposit' ? { customerDeposit: { amount: '99.00' } } : {}),
            lines: [STOVE],
          })),
        },
        defaultSandboxSeed(),
      );
      loadSeed(account.engine, seed);
      return sims.map((s) => s.id);
    },
    /** A refund made on the store: the refunds/create delivery it signed (not sent; the bench POSTs it). */
    refund: async ({ orderId, issue }) => {
      const { delivery } = await shopify.issueRefund(orderId as string, issue as RefundIssue);
      return { headers: delivery.headers, body: delivery.body };
    },
    /** Usage and call counts since the last reset, from the account's own accounting. */
    usage: () => {
      const restlet = account.usage().filter((u) => u.scriptId === RESTLET);
      return {
        restletExecutions: restlet.length,
        units: restlet.reduce((a, u) => a + u.unitsUsed, 0),
        host: host.counters(),
        calls: counts.calls,
        operations: counts.operations,
        maxOperations: counts.maxOperations,
        meanCallMs: counts.calls ? counts.callMsTotal / counts.calls : 0,
      };
    },
    reset: () => {
      account.clearUsage();
      host.resetCounters();
      Object.assign(counts, { calls: 0, operations: 0, maxOperations: 0, callMsTotal: 0 });
      return true;
    },
    count: ({ type }) => mainlineCount(type as string),
    /** A cash refund saved in NetSuite's UI from the newest cash sale (the NetSuite -> Shopify direction). */
    uiCashRefund: () => {
      const ids = account.engine.search({ type: 'cashsale', filters: [['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).map((r) => Number(r.id));
      account.ui.transform('cashsale', String(Math.max(...ids)), 'cashrefund');
      return true;
    },
    rss: () => process.resourceUsage().maxRSS * 1024,
    close: async () => {
      await Promise.all([netsuite.close(), shopify.close()]);
      await account.close();
      setImmediate(() => process.exit(0));
      return true;
    },
  };

  process.on('message', (msg: Record<string, unknown> & { id: number; cmd: string }) => {
    void (async () => {
      try {
        const fn = commands[msg.cmd];
        if (!fn) throw new Error(`unknown command ${msg.cmd}`);
        process.send?.({ id: msg.id, ok: true, value: await fn(msg) });
      } catch (error) {
        process.send?.({ id: msg.id, ok: false, error: error instanceof Error && error.stack ? error.stack : String(error) });
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true });
  // Runs until told to close.
  return new Promise<number>(() => undefined);
}
