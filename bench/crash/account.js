#!/usr/bin/env node
// The local NetSuite account as its own process, for the crash and fault benchmarks (built code in dist/): the
// emulator's account with a state file (its records survive), behind its HTTP host (TBA, concurrency limit, injected
// faults), and the simulated Shopify store and Amazon SP-API the middleware reaches over loopback. It is started with
// child_process.fork by bench/common/refund-world.js and driven over the IPC channel: { id, cmd, ...args } in,
// { id, ok, value | error } out. Nothing here decides whether a guarantee holds; it answers what it holds.
// argv[2]: JSON { accountId, stateFile, concurrencyLimit, shopDomain, sellerId }.
'use strict';
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const root = path.join(__dirname, '..', '..');
const dist = (...p) => require(path.join(root, 'dist', ...p));
const { createLocalAccount } = dist('emulator');
const { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor } = dist('emulator', 'http');
const { defaultSandboxSeed, loadSeed, parseSeed, seedSandbox } = dist('emulator', 'seed');
const { startShopifySimulator } = dist('middleware', 'simulators', 'shopify');
const { startAmazonSimulator } = dist('middleware', 'simulators', 'amazon');

const options = JSON.parse(process.argv[2]);
const REFUND_TYPES = ['cashrefund', 'creditmemo', 'customerrefund'];
/** Every order: two stoves; every refund: one of them (49.50). A deposit order's deposit covers the whole order. */
const LINE = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };

async function main() {
  const account = createLocalAccount({
    accountId: options.accountId,
    stateFile: options.stateFile,
    // Coalesce writes of the (large) state file: a write per second at most while refunds post.
    stateWriteDelayMs: 1000,
    seedWith: (engine) => seedSandbox(engine),
  });
  const creds = generateSandboxCredentials();
  const host = createNetSuiteHost({ accountId: options.accountId, runner: account.restlets, records: account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: options.concurrencyLimit });
  const netsuite = await host.listen(0, '127.0.0.1');
  const shopify = await startShopifySimulator({ seedSampleOrders: false, webhookSecret: randomBytes(24).toString('hex'), shopDomain: options.shopDomain });
  const amazon = await startAmazonSimulator({ seedSampleOrders: false });

  const commands = {
    info: () => ({
      accountId: options.accountId,
      restored: account.restored,
      stateFile: account.stateFile,
      netsuite: { url: netsuite.url, tba: creds.tba },
      shopify: { url: shopify.url, shopDomain: shopify.shopDomain, accessToken: shopify.accessToken, webhookSecret: shopify.webhookSecret },
      amazon: { url: amazon.url, lwaClientId: amazon.lwaClientId, lwaClientSecret: amazon.lwaClientSecret, refreshToken: amazon.refreshToken },
    }),
    /** Orders on the simulated platforms and, as the order import leaves them, in the local account. */
    orders: ({ specs }) => {
      const made = specs.map((s) => {
        const orderId = s.platform === 'shopify' ? shopify.createOrder({ lines: [LINE] }).id : amazon.createOrder({ items: [LINE] }).amazonOrderId;
        return { ...s, orderId: String(orderId) };
      });
      const seed = parseSeed(
        {
          orders: made.map((o) => ({
            externalId: `bench-${o.platform}-${o.orderId}`,
            storefrontOrderId: o.orderId,
            customer: 'sandbox-cust-acme',
            billing: o.billing === 'cash_sale' ? 'cashsale' : o.billing === 'deposit' ? 'none' : 'invoice',
            ...(o.billing === 'invoice_paid' ? { paid: true } : {}),
            ...(o.billing === 'deposit' ? { customerDeposit: { amount: '99.00' } } : {}),
            lines: [LINE],
          })),
        },
        defaultSandboxSeed(),
      );
      loadSeed(account.engine, seed);
      return made;
    },
    /**
     * A refund of one stove made on the platform. Shopify: the refunds/create delivery the store signed (headers and
     * body; the caller posts it, and posts it again until answered 2xx, as Shopify retries). Amazon: the refund
     * event is posted to the Finances API, where the middleware's sweep finds it.
     */
    refund: async ({ platform, orderId }) => {
      if (platform === 'shopify') {
        const { refund, delivery } = await shopify.issueRefund(orderId, { lines: [{ sku: LINE.sku, quantity: 1 }] });
        return { refundId: String(refund.id), delivery: { headers: delivery.headers, body: delivery.body } };
      }
      const before = amazon.state.refundEvents.length;
      amazon.issueRefund(orderId, { items: [{ sku: LINE.sku, quantity: 1 }] });
      const event = amazon.state.refundEvents[before];
      // The refund id as Amazon's reader names it: the order id with its adjustment item ids.
      const ids = event.ShipmentItemAdjustmentList.map((i) => i.OrderAdjustmentItemId).sort();
      return { refundId: `${event.AmazonOrderId}:${ids.join('+')}` };
    },
    /** Every refund-kind record the account holds: type, internal id, externalId, total. */
    records: () =>
      REFUND_TYPES.flatMap((type) =>
        account.engine.search({ type, filters: [['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).map((r) => {
          const fields = account.engine.load(type, String(r.id)).fields;
          return { type, id: String(r.id), externalId: fields.externalid == null ? null : String(fields.externalid), total: fields.total == null ? null : String(fields.total) };
        }),
      ),
    counters: () => ({ counters: host.counters(), settings: host.settings() }),
    configure: ({ changes }) => {
      host.configure(changes);
      return host.settings();
    },
    close: async () => {
      await Promise.all([netsuite.close(), shopify.close(), amazon.close()]);
      await account.close();
      setImmediate(() => process.exit(0));
      return true;
    },
  };

  process.on('message', async (msg) => {
    try {
      const fn = commands[msg.cmd];
      if (!fn) throw new Error(`unknown command ${msg.cmd}`);
      process.send({ id: msg.id, ok: true, value: await fn(msg) });
    } catch (error) {
      process.send({ id: msg.id, ok: false, error: error && error.stack ? error.stack : String(error) });
    }
  });
  // The bench died without closing us: write what is pending and go.
  process.on('disconnect', () => {
    account.flushState();
    process.exit(0);
  });
  process.send({ ready: true });
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
