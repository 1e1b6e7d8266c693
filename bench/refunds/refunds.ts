/**
 * Refund benchmarks on the sandbox stack (local NetSuite account behind its HTTP host, the middleware on PGlite with
 * its workers, the simulated Shopify store sending signed webhooks):
 *  1. governance units per refund for each NetSuite record kind (cash refund; credit memo; credit memo + customer
 *     refund; customer refund against a deposit), summed from the emulator's usage reports of the RESTlet
 *     executions the refund caused, beside the floor the documented unit costs allow for the same writes plus the
 *     two reads any implementation needs (find the sales order, find how it was billed);
 *  2. end-to-end refunds per second: N refunds issued at once, from the webhook to the posted NetSuite record;
 *  3. NetSuite -> Shopify: units of a cash refund saved in NetSuite, from the outbox pull to the Shopify refund with
 *     its lines and the write-back, beside the floor (pull, read with lines, write-back, ack).
 * Prints one JSON line, then a one-line summary.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Operation } from '../../core/contracts/restlet';
import { floorUnits, SEARCH_UNITS } from '../../core/netsuite/restlet-api/governance';
import { orderExternalId } from '../../core/refunds';
import { createLocalAccount } from '../../emulator';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor } from '../../emulator/http';
import { defaultSandboxSeed, loadSeed, parseSeed, seedSandbox } from '../../emulator/seed';
import { loadConfig } from '../../middleware/config';
import { startMiddleware } from '../../middleware/runtime/server';
import { startShopifySimulator } from '../../middleware/simulators/shopify';
import { ensureTenant } from '../../middleware/store/sql/tenants';
import { createChannel, createConnection } from '../../middleware/tenancy/tenancy-service';

const ACCOUNT = 'TSTDRV0000001';
const TENANT = 'bench';
const STOVE = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };

type Billing = 'cashsale' | 'invoice' | 'invoice_paid' | 'deposit';

export async function main(args: string[]): Promise<number> {
  const n = Number(args.find((a) => a.startsWith('--refunds='))?.split('=')[1] ?? 40);
  const account = createLocalAccount({ accountId: ACCOUNT });
  seedSandbox(account.engine);
  const creds = generateSandboxCredentials();
  const host = createNetSuiteHost({ accountId: ACCOUNT, runner: account.restlets, records: account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: 5 });
  const netsuite = await host.listen(0, '127.0.0.1');
  const silent = new Writable({ write: (_c, _e, done) => done() });
  const config = loadConfig({
    mode: 'production',
    env: {},
    overrides: {
      masterKey: randomBytes(32).toString('base64'),
      database: { kind: 'pglite', dataDir: 'memory://' },
      logLevel: 'warn',
      http: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 3000 },
      jobs: { workers: true, pollingIntervalSeconds: 0.5, batchSize: 5 },
    },
  });
  const mw = await startMiddleware(config, { logDestination: silent, refunds: { netsuite: { restletBaseUrls: { [ACCOUNT]: netsuite.url } } } });
  const shopify = await startShopifySimulator({ seedSampleOrders: false, webhookSecret: randomBytes(24).toString('hex') });
  try {
    await ensureTenant(mw.db, { id: TENANT, name: TENANT });
    const connection = await createConnection(mw.db, mw.secretBox, TENANT, { name: 'Local', accountId: ACCOUNT, authKind: 'tba', credentials: creds.tba });
    if (!connection.ok) throw new Error(connection.error.message);
    const channel = await createChannel(mw.db, mw.secretBox, TENANT, {
      kind: 'shopify',
      name: 'Shop',
      connectionId: connection.value.id,
      settings: { shopDomain: shopify.shopDomain, refundDirection: 'platform_to_netsuite' },
      secrets: { webhookSecret: shopify.webhookSecret, accessToken: shopify.accessToken },
    });
    if (!channel.ok) throw new Error(channel.error.message);
    mw.refunds.storefronts.setBaseUrl(channel.value.id, shopify.url);
    shopify.setWebhookUrl(`${mw.url}/webhooks/shopify/${channel.value.id}`);

    const order = (billing: Billing) => {
      const sim = shopify.createOrder({ lines: [STOVE] });
      const externalId = orderExternalId('shopify', shopify.shopDomain, sim.id);
      const seed = parseSeed(
        {
          orders: [
            {
              externalId,
              storefrontOrderId: sim.id,
              customer: 'sandbox-cust-acme',
              billing: billing === 'cashsale' ? 'cashsale' : billing === 'deposit' ? 'none' : 'invoice',
              ...(billing === 'invoice_paid' ? { paid: true } : {}),
              ...(billing === 'deposit' ? { customerDeposit: { amount: '99.00' } } : {}),
              lines: [STOVE],
            },
          ],
        },
        defaultSandboxSeed(),
      );
      loadSeed(account.engine, seed);
      return sim.id;
    };
    const posted = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = (await mw.db.query<{ state: string; n: number }>("select state, count(*)::int as n from lb_sync_records where topic = 'refunds/create' group by state")).rows;
        const done = rows.filter((r) => r.state === 'posted').reduce((a, r) => a + Number(r.n), 0);
        const failed = rows.filter((r) => r.state === 'failed' || r.state === 'parked').reduce((a, r) => a + Number(r.n), 0);
        if (failed > 0) throw new Error(`${failed} refund(s) did not post`);
        if (done >= count) return;
        if (Date.now() > deadline) throw new Error(`only ${done}/${count} refunds posted`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // 1. Governance per refund kind, from the emulator's usage reports.
    const kinds: Array<{ kind: string; billing: Billing; issue: Parameters<typeof shopify.issueRefund>[1]; writes: Operation[] }> = [
      { kind: 'cash refund', billing: 'cashsale', issue: { lines: [{ sku: 'LB-STOVE', quantity: 1 }] }, writes: [transformOp('cashsale', 'cashrefund', true)] },
      { kind: 'credit memo (open invoice)', billing: 'invoice', issue: { lines: [{ sku: 'LB-STOVE', quantity: 1 }] }, writes: [transformOp('invoice', 'creditmemo', true)] },
      { kind: 'credit memo + customer refund (paid invoice)', billing: 'invoice_paid', issue: { lines: [{ sku: 'LB-STOVE', quantity: 1 }] }, writes: [transformOp('invoice', 'creditmemo', true), createOp('customerrefund')] },
      { kind: 'customer refund against a deposit', billing: 'deposit', issue: { lines: [], amount: '20.00' }, writes: [transformOp('customerdeposit', 'customerrefund', false)] },
    ];
    const governance = [];
    let issued = 0;
    for (const k of kinds) {
      const orderId = order(k.billing);
      account.clearUsage();
      await shopify.issueRefund(orderId, k.issue);
      issued += 1;
      await posted(issued, 20_000);
      const restlet = account.usage().filter((u) => u.scriptId === 'customscript_lb_rl_api');
      const units = restlet.reduce((a, u) => a + u.unitsUsed, 0);
      const floor = k.writes.reduce((a, op) => a + floorUnits(op), 0) + 2 * SEARCH_UNITS;
      governance.push({ kind: k.kind, units, floor, restletCalls: restlet.length, writes: k.writes.length });
    }

    // 2. End-to-end refunds per second: n refunds issued together.
    const orders = Array.from({ length: n }, () => order('cashsale'));
    const started = Date.now();
    await Promise.all(orders.map((id) => shopify.issueRefund(id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] })));
    await posted(issued + n, 120_000);
    const seconds = (Date.now() - started) / 1000;

    // 3. NetSuite -> Shopify: a cash refund saved in NetSuite, pulled from the outbox, read with its lines (RESTlet
    // `read`), posted to Shopify and its id written back. Floor: the outbox pull (one search), the read (one load +
    // one item search), the write-back (submitFields) and the acknowledgement (submitFields on the custom record).
    await mw.db.query('update lb_channels set settings = $2::jsonb where id = $1', [
      channel.value.id,
      JSON.stringify({ shopDomain: shopify.shopDomain, refundDirection: 'netsuite_to_platform', refunds: { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } } }),
    ]);
    order('cashsale');
    account.ui.transform('cashsale', latestOf(account, 'cashsale'), 'cashrefund');
    account.clearUsage();
    await mw.refunds.sweep();
    const outboundDeadline = Date.now() + 20_000;
    for (;;) {
      const row = (await mw.db.query<{ state: string }>("select state from lb_sync_records where topic = 'ledgerbridge/netsuite.refund' order by created_at desc limit 1")).rows[0];
      if (row?.state === 'posted') break;
      if (row?.state === 'failed' || Date.now() > outboundDeadline) throw new Error(`NetSuite -> Shopify refund did not post (${row?.state ?? 'no record'})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const outboundCalls = account.usage().filter((u) => u.scriptId === 'customscript_lb_rl_api');
    const readOp: Operation = { opId: 'floor', kind: 'read', recordType: 'cashrefund', id: '1', fields: ['total'], sublists: ['item'] };
    const writeBack: Operation = { opId: 'floor', kind: 'setFields', recordType: 'cashrefund', target: { id: '1' }, values: { custbody_lb_platform_ref: 'x' } };
    governance.push({
      kind: 'NetSuite cash refund -> Shopify refund with lines',
      units: outboundCalls.reduce((a, u) => a + u.unitsUsed, 0),
      floor: SEARCH_UNITS + floorUnits(readOp) + floorUnits(writeBack) + 2,
      restletCalls: outboundCalls.length,
      writes: 1,
    });

    const result = {
      benchmark: 'refunds',
      governance,
      endToEnd: { refunds: n, seconds, refundsPerSecond: Number((n / seconds).toFixed(2)), netsuiteConcurrencyLimit: 5, workersBatchSize: 5, store: 'pglite' },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(
      `refunds: ${governance.map((g) => `${g.kind} ${g.units}u (floor ${g.floor})`).join('; ')}; end-to-end ${result.endToEnd.refundsPerSecond} refunds/s (${n} refunds)\n`,
    );
    return 0;
  } finally {
    await mw.close();
    await netsuite.close();
    await shopify.close();
    await account.close();
  }
}

function transformOp(fromType: string, toType: string, withLines: boolean): Operation {
  return {
    opId: 'floor',
    kind: 'transform',
    fromType,
    from: { id: '1' },
    toType,
    externalId: 'x',
    ...(withLines ? { items: [{ sku: 'LB-STOVE', quantity: 1, rate: '49.50' }] } : {}),
  };
}

function createOp(recordType: string): Operation {
  return { opId: 'floor', kind: 'create', recordType, externalId: 'x', values: { customer: '1' } };
}

/** The newest record of a type in the local account (internal ids grow). */
function latestOf(account: ReturnType<typeof createLocalAccount>, type: string): string {
  const ids = account.engine.search({ type, filters: [['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).map((r) => Number(r.id));
  return String(Math.max(...ids));
}
