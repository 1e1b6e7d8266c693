/**
 * Refund benchmarks on the sandbox stack, all in this process: the local NetSuite account behind its HTTP host
 * (concurrency limit 5, every RESTlet call answering in 300 ms in all: see bench/netsuite/throughput.ts
 * `paddedRunner`), the middleware on in-memory PGlite with its workers at the configuration's jobs defaults, and the
 * simulated Shopify store making the refunds and signing their refunds/create webhooks.
 *
 *  1. Governance units per refund for each NetSuite record kind (cash refund; credit memo; credit memo + customer
 *     refund; customer refund against a deposit; NetSuite cash refund -> Shopify refund), summed from the local
 *     account's usage reports of the RESTlet executions the refund caused, beside the floor NetSuite's DOCUMENTED
 *     unit costs (core/netsuite/restlet-api/documented-costs.ts) allow for the calls any implementation needs.
 *  2. End to end, for each size given (default 100 and 1,000): that many cash-sale orders, one refund each, their
 *     signed webhooks POSTed to the intake by 50 senders at once (each request with a 5 s timeout), until every
 *     refund is a posted NetSuite cash refund. Reported: refunds/s beside the physical limit computed from the run
 *     (limit / call time x measured operations per call / measured operations per refund), RESTlet calls and units
 *     per refund (the units beside the documented floor), sender timeouts and intake answer times, records written
 *     (exactly one cash refund per refund), peak RSS, and the jobs settings of the running configuration.
 *
 * Usage: node bench/refunds/run.js [SIZE ...] [--in-flight=50] [--sender-timeout-ms=5000] [--batch-size=N]
 * (--batch-size overrides jobs.batchSize, for measuring other slot counts; without it the default is used).
 * Prints one JSON object, then a summary line.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { documentedUnits } from '../../core/netsuite/restlet-api/documented-costs';
import { categoryOf } from '../../core/netsuite/restlet-api/record-types';
import type { TbaCredentials } from '../../middleware/tenancy/netsuite-credentials';
import { loadConfig } from '../../middleware/config';
import { startMiddleware } from '../../middleware/runtime/server';
import type { RefundIssue } from '../../middleware/simulators/shopify';
import { ensureTenant } from '../../middleware/store/sql/tenants';
import { perConnectionSlotsOf } from '../../middleware/sync/sync-worker';
import { createChannel, createConnection } from '../../middleware/tenancy/tenancy-service';
import type { AccountOptions, Billing } from './account';

const ACCOUNT = 'TSTDRV0000001';
const TENANT = 'bench';
const CALL_MS = 300;
const CONCURRENCY_LIMIT = 5;
/** Refunds per second as a fraction of the physical limit the run must reach. */
const GOAL_FRACTION = 0.8;
const ONE_STOVE: RefundIssue = { lines: [{ sku: 'LB-STOVE', quantity: 1 }] };

/** A documented call of a floor: what it is for, and the record type whose category prices it (if any). */
type FloorCall = { call: string; recordType?: string; why: string };

/**
 * The calls any implementation of a refund needs, priced by NetSuite's documented costs: find the sales order by the
 * storefront order (one search), find how it was billed (one search), map the refunded SKUs to NetSuite items when
 * lines are refunded (one search), then the writes themselves.
 */
function inboundFloor(writes: FloorCall[], withLines: boolean): FloorCall[] {
  return [
    { call: 'search.getRange', why: 'find the sales order' },
    { call: 'search.getRange', why: 'find its billing' },
    ...(withLines ? [{ call: 'search.getRange', why: 'SKUs to items' }] : []),
    ...writes,
  ];
}
const transformAndSave = (from: string, to: string): FloorCall[] => [
  { call: 'record.transform', recordType: to, why: `${from} -> ${to}` },
  { call: 'record.save', recordType: to, why: `save ${to}` },
];
const createAndSave = (type: string): FloorCall[] => [
  { call: 'record.create', recordType: type, why: `create ${type}` },
  { call: 'record.save', recordType: type, why: `save ${type}` },
];
const priced = (calls: FloorCall[]) => calls.reduce((n, c) => n + documentedUnits(c.call, c.recordType ? categoryOf(c.recordType) : undefined), 0);

const CASH_REFUND_FLOOR = inboundFloor(transformAndSave('cashsale', 'cashrefund'), true);

type Delivery = { headers: Record<string, string>; body: string };
type Usage = {
  restletExecutions: number;
  units: number;
  host: { requests: number; scriptRuns: number; maxInFlight: number; limitRejections: number; unitsUsed: number };
  calls: number;
  operations: number;
  maxOperations: number;
  meanCallMs: number;
};
type Info = {
  netsuite: { url: string; tba: TbaCredentials; settings: { concurrencyLimit: number; latencyMs: number }; callMs: number };
  shopify: { url: string; shopDomain: string; accessToken: string; webhookSecret: string };
};

/** The account process (account.ts) and a typed way to call it. */
async function startAccount(options: AccountOptions) {
  const child = fork(path.join(__dirname, 'run.js'), ['account', JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let sequence = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`account process exited ${code}`)));
    child.on('message', (msg: { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: string }) => {
      if (msg.ready) return resolve();
      const w = waiting.get(msg.id as number);
      if (!w) return;
      waiting.delete(msg.id as number);
      if (msg.ok) w.resolve(msg.value);
      else w.reject(new Error(msg.error));
    });
  });
  await ready;
  const call = <T>(cmd: string, args: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = (sequence += 1);
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, ...args });
    });
  return {
    info: () => call<Info>('info'),
    pad: () => call<number>('pad'),
    orders: (billing: Billing, count: number) => call<string[]>('orders', { billing, count }),
    refund: (orderId: string, issue: RefundIssue) => call<Delivery>('refund', { orderId, issue }),
    usage: () => call<Usage>('usage'),
    reset: () => call<boolean>('reset'),
    count: (type: string) => call<number>('count', { type }),
    uiCashRefund: () => call<boolean>('uiCashRefund'),
    rss: () => call<number>('rss'),
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      await call('close').catch(() => undefined);
      await exited;
    },
  };
}

function argValue(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

const quantile = (sorted: number[], q: number) => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : 0);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export async function main(args: string[]): Promise<number> {
  const sizes = args.filter((a) => /^[\d,_]+$/.test(a)).map((a) => Number(a.replace(/[,_]/g, '')));
  // 10,000 is left out of the defaults: at the default slots it takes about 5½ minutes on a 2-core machine.
  const sizesFrom = sizes.length === 0 ? 'default (100 and 1,000; 10,000 takes several minutes: pass 10000 to run it)' : 'argv';
  if (sizes.length === 0) sizes.push(100, 1000);
  const inFlight = Number(argValue(args, 'in-flight') ?? 50);
  const senderTimeoutMs = Number(argValue(args, 'sender-timeout-ms') ?? 5000);
  const batchOverride = argValue(args, 'batch-size');

  const account = await startAccount({ accountId: ACCOUNT, concurrencyLimit: CONCURRENCY_LIMIT, callMs: CALL_MS });
  const { netsuite, shopify } = await account.info();
  const silent = new Writable({ write: (_c, _e, done) => done() });
  const config = loadConfig({
    mode: 'production',
    env: {},
    overrides: {
      masterKey: randomBytes(32).toString('base64'),
      database: { kind: 'pglite', dataDir: 'memory://' },
      logLevel: 'warn',
      http: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 3000 },
      jobs: { workers: true, pollingIntervalSeconds: 0.5, ...(batchOverride ? { batchSize: Number(batchOverride) } : {}) },
    },
  });
  const mw = await startMiddleware(config, { logDestination: silent, refunds: { netsuite: { restletBaseUrls: { [ACCOUNT]: netsuite.url } } } });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  try {
    await ensureTenant(mw.db, { id: TENANT, name: TENANT });
    const connection = await createConnection(mw.db, mw.secretBox, TENANT, { name: 'Local', accountId: ACCOUNT, authKind: 'tba', credentials: netsuite.tba, concurrencyLimit: CONCURRENCY_LIMIT });
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
    const webhookUrl = `${mw.url}/webhooks/shopify/${channel.value.id}`;
    // The store signs each delivery; the bench POSTs it (its own senders, with their own timeout).

    const send = async (delivery: Delivery) => {
      const started = performance.now();
      try {
        const res = await fetch(webhookUrl, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(senderTimeoutMs) });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - started, timedOut: false, error: null as string | null };
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        return { status: null, ms: performance.now() - started, timedOut, error: e instanceof Error ? e.message : String(e) };
      }
    };

    const refundCounts = async () => {
      const rows = (await mw.db.query<{ state: string; n: number }>("select state, count(*)::int as n from lb_sync_records where topic = 'refunds/create' group by state")).rows;
      const of = (...states: string[]) => rows.filter((r) => states.includes(r.state)).reduce((a, r) => a + Number(r.n), 0);
      return { posted: of('posted'), failed: of('failed', 'parked'), all: of(...rows.map((r) => r.state)) };
    };
    const posted = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const c = await refundCounts();
        if (c.failed > 0) throw new Error(`${c.failed} refund(s) did not post`);
        if (c.posted >= count) return;
        if (Date.now() > deadline) throw new Error(`only ${c.posted}/${count} refunds posted`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // Every call answers in CALL_MS in all from now on (the stack's start-up ran unpadded).
    await account.pad();
    // The settings as the run uses them, read back from the host, the runner, the connection and the config.
    const settingsNow = await account.info();
    const callMs = settingsNow.netsuite.callMs;
    const limit = settingsNow.netsuite.settings.concurrencyLimit;
    const connectionLimit = connection.value.concurrencyLimit;
    const jobs = {
      batchSize: mw.config.jobs.batchSize,
      perConnectionSlots: perConnectionSlotsOf({ batchSize: mw.config.jobs.batchSize, pollingIntervalSeconds: mw.config.jobs.pollingIntervalSeconds }),
      pollingIntervalSeconds: mw.config.jobs.pollingIntervalSeconds,
      batchSizeFrom: batchOverride ? '--batch-size' : 'default',
    };

    // 1. Governance per refund kind, one refund at a time, from the local account's usage reports.
    const kinds: Array<{ kind: string; billing: Billing; issue: RefundIssue; floor: FloorCall[] }> = [
      { kind: 'cash refund', billing: 'cashsale', issue: ONE_STOVE, floor: CASH_REFUND_FLOOR },
      { kind: 'credit memo (open invoice)', billing: 'invoice', issue: ONE_STOVE, floor: inboundFloor(transformAndSave('invoice', 'creditmemo'), true) },
      {
        kind: 'credit memo + customer refund (paid invoice)',
        billing: 'invoice_paid',
        issue: ONE_STOVE,
        floor: inboundFloor([...transformAndSave('invoice', 'creditmemo'), ...createAndSave('customerrefund')], true),
      },
      { kind: 'customer refund against a deposit', billing: 'deposit', issue: { lines: [], amount: '20.00' }, floor: inboundFloor(transformAndSave('customerdeposit', 'customerrefund'), false) },
    ];
    const governance = [];
    let issued = 0;
    for (const k of kinds) {
      const [orderId] = await account.orders(k.billing, 1);
      await account.reset();
      const sent = await send(await account.refund(orderId as string, k.issue));
      if (sent.status !== 202 && sent.status !== 200) throw new Error(`intake answered ${sent.status ?? sent.error}`);
      issued += 1;
      await posted(issued, 30_000);
      const used = await account.usage();
      governance.push({
        kind: k.kind,
        units: used.units,
        documentedFloor: priced(k.floor),
        floorCalls: k.floor.map((c) => `${c.call}${c.recordType ? `(${categoryOf(c.recordType)})` : ''}: ${c.why}`),
        restletCalls: used.restletExecutions,
      });
    }

    // 2. End to end at each size.
    const runs = [];
    for (const n of sizes) {
      const ids = await account.orders('cashsale', n);
      const cashRefundsBefore = await account.count('cashrefund');
      await account.reset();
      const sends: Array<Awaited<ReturnType<typeof send>>> = [];
      const started = performance.now();
      const cpuAtStart = process.cpuUsage();
      let next = 0;
      let accepted = 0;
      let redeliveries = 0;
      const sender = async () => {
        while (next < ids.length) {
          const id = ids[next++] as string;
          const delivery = await account.refund(id, ONE_STOVE);
          // A delivery not answered 2xx is sent again with the same headers (same webhook id), as Shopify retries.
          for (let attempt = 0; ; attempt++) {
            const sent = await send(delivery);
            sends.push(sent);
            if (sent.status === 202 || sent.status === 200) {
              accepted += 1;
              break;
            }
            if (attempt === 5) break;
            redeliveries += 1;
          }
        }
      };
      loopDelay.reset();
      await Promise.all(Array.from({ length: Math.min(inFlight, n) }, sender));
      const intakeSeconds = (performance.now() - started) / 1000;
      if (accepted === n) await posted(issued + n, Math.max(120_000, n * 100));
      const seconds = (performance.now() - started) / 1000;
      issued += accepted;

      const used = await account.usage();
      const units = used.units;
      const counters = used.host;
      const calls = used.calls;
      const opsPerCall = used.operations / Math.max(1, calls);
      const opsPerRefund = used.operations / n;
      const physicalLimit = (limit / (callMs / 1000)) * (opsPerCall / opsPerRefund);
      const refundsPerSecond = n / seconds;
      const ms = sends.map((s) => s.ms).sort((a, b) => a - b);
      const written = (await account.count('cashrefund')) - cashRefundsBefore;
      const timeouts = sends.filter((s) => s.timedOut).length;
      runs.push({
        refunds: n,
        // The issue of record's goals, checked on this run.
        goals: {
          restletCallsPerRefundBelow1: calls / n < 1,
          atLeast80PercentOfPhysicalLimit: refundsPerSecond / physicalLimit >= GOAL_FRACTION,
          noSenderTimeouts: timeouts === 0,
        },
        seconds: round(seconds),
        refundsPerSecond: round(refundsPerSecond),
        physicalLimitRefundsPerSecond: round(physicalLimit),
        fractionOfPhysicalLimit: round(refundsPerSecond / physicalLimit, 3),
        restletCalls: calls,
        restletCallsPerRefund: round(calls / n, 3),
        operations: used.operations,
        operationsPerCall: round(opsPerCall),
        maxOperationsPerCall: used.maxOperations,
        meanCallMs: round(used.meanCallMs, 1),
        operationsPerRefund: round(opsPerRefund),
        unitsPerRefund: round(units / n),
        documentedFloorUnitsPerRefund: priced(CASH_REFUND_FLOOR),
        netsuiteHost: { requests: counters.requests, scriptRuns: counters.scriptRuns, maxInFlight: counters.maxInFlight, limitRejections: counters.limitRejections, unitsUsed: counters.unitsUsed },
        cashRefundsWritten: written,
        peakRssMiBSoFar: round((process.resourceUsage().maxRSS * 1024) / 2 ** 20, 1),
        eventLoopDelayMs: { p99: round(loopDelay.percentile(99) / 1e6, 1), max: round(loopDelay.max / 1e6, 1) },
        cpuSeconds: round((process.cpuUsage(cpuAtStart).user + process.cpuUsage(cpuAtStart).system) / 1e6, 1),
        sender: {
          inFlight: Math.min(inFlight, n),
          timeoutMs: senderTimeoutMs,
          accepted,
          timeouts,
          otherErrors: sends.filter((s) => !s.timedOut && s.status !== 202 && s.status !== 200).length,
          redeliveries,
          intakeSeconds: round(intakeSeconds),
          answerMs: { p50: round(quantile(ms, 0.5), 1), p99: round(quantile(ms, 0.99), 1), max: round(ms[ms.length - 1] ?? 0, 1) },
        },
      });
      await account.reset();
    }

    // 3. NetSuite -> Shopify: a cash refund saved in NetSuite, pulled from the outbox, read with its lines (RESTlet
    // `read`), posted to Shopify and its id written back.
    await mw.db.query('update lb_channels set settings = $2::jsonb where id = $1', [
      channel.value.id,
      JSON.stringify({ shopDomain: shopify.shopDomain, refundDirection: 'netsuite_to_platform', refunds: { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } } }),
    ]);
    await account.orders('cashsale', 1);
    await account.uiCashRefund();
    await account.reset();
    await mw.refunds.sweep();
    const outboundDeadline = Date.now() + 30_000;
    for (;;) {
      const row = (await mw.db.query<{ state: string }>("select state from lb_sync_records where topic = 'ledgerbridge/netsuite.refund' order by created_at desc limit 1")).rows[0];
      if (row?.state === 'posted') break;
      if (row?.state === 'failed' || Date.now() > outboundDeadline) throw new Error(`NetSuite -> Shopify refund did not post (${row?.state ?? 'no record'})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const outbound = await account.usage();
    const outboundFloor: FloorCall[] = [
      { call: 'search.getRange', why: 'outbox pull' },
      { call: 'record.load', recordType: 'cashrefund', why: 'read the cash refund' },
      { call: 'search.getRange', why: 'items to SKUs' },
      { call: 'record.submitFields', recordType: 'cashrefund', why: 'write back the Shopify refund id' },
      { call: 'record.submitFields', recordType: 'customrecord_lb_outbox', why: 'acknowledge the outbox entry' },
    ];
    governance.push({
      kind: 'NetSuite cash refund -> Shopify refund with lines',
      units: outbound.units,
      documentedFloor: priced(outboundFloor),
      floorCalls: outboundFloor.map((c) => `${c.call}${c.recordType ? `(${categoryOf(c.recordType)})` : ''}: ${c.why}`),
      restletCalls: outbound.restletExecutions,
    });

    const usage = process.resourceUsage();
    const result = {
      benchmark: 'refunds',
      settings: {
        netsuiteConcurrencyLimit: limit,
        connectionConcurrencyLimit: connectionLimit,
        callMs,
        store: mw.db.kind,
        jobs,
        sizes,
        sizesFrom,
        senderInFlight: inFlight,
        senderTimeoutMs,
      },
      governance,
      endToEnd: runs,
      // The middleware's process (this one: the middleware, its store and the bench's senders); the account process apart.
      peakRssMiB: round((usage.maxRSS * 1024) / 2 ** 20, 1),
      accountProcessPeakRssMiB: round((await account.rss()) / 2 ** 20, 1),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    for (const r of runs) {
      process.stdout.write(
        `refunds ${r.refunds}: ${r.refundsPerSecond} refunds/s of a physical ${r.physicalLimitRefundsPerSecond} (${Math.round(r.fractionOfPhysicalLimit * 100)}%; limit ${limit}, ${callMs} ms/call, ` +
          `${r.operationsPerCall} ops/call, ${r.operationsPerRefund} ops/refund; mean call ${r.meanCallMs} ms); ${r.restletCallsPerRefund} RESTlet calls/refund; ${r.unitsPerRefund} units/refund (documented floor ${r.documentedFloorUnitsPerRefund}); ` +
          `sender timeouts ${r.sender.timeouts}/${r.refunds} at ${r.sender.inFlight} in flight (answer p99 ${r.sender.answerMs.p99} ms); ${r.cashRefundsWritten} cash refunds written; ` +
          `goals ${Object.entries(r.goals).map(([g, met]) => `${g} ${met ? 'met' : 'MISSED'}`).join(', ')}\n`,
      );
    }
    if (sizesFrom !== 'argv') process.stdout.write(`refunds: sizes ${sizesFrom}\n`);
    process.stdout.write(
      `refunds: jobs.batchSize ${jobs.batchSize} (${jobs.batchSizeFrom}), ${jobs.perConnectionSlots} slots per connection, store ${mw.db.kind}; peak RSS ${result.peakRssMiB} MiB; governance ${governance.map((g) => `${g.kind} ${g.units}u (documented floor ${g.documentedFloor})`).join('; ')}\n`,
    );
    // Exactly one cash refund per refund, and every goal met in every run.
    const ok = runs.every((r) => r.cashRefundsWritten === r.refunds && r.sender.otherErrors === 0 && Object.values(r.goals).every(Boolean));
    return ok ? 0 : 1;
  } finally {
    await mw.close();
    await account.close();
  }
}
