// What the crash and fault benchmarks share (built code in dist/, loopback only): the local NetSuite account in its
// own process (bench/crash/account.js), a throwaway PostgreSQL cluster, the store prepared for `ledgerbridge start`
// (tenant, NetSuite connection, a Shopify and an Amazon channel), real `node bin/ledgerbridge.js start` processes
// configured by environment, the refund mix (Shopify webhook refunds and polled Amazon refunds over every billing
// kind), SIGKILLs at spread points with the recovery after each, and the exactly-once check of what NetSuite holds
// against what the store says.
'use strict';
const { fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { startPostgres } = require('./postgres');

const root = path.join(__dirname, '..', '..');
const dist = (...p) => require(path.join(root, 'dist', ...p));
const BIN = path.join(root, 'bin', 'ledgerbridge.js');
const ACCOUNT_SCRIPT = path.join(root, 'bench', 'crash', 'account.js');

const ACCOUNT_ID = 'TSTDRV0000001';
const TENANT = 'bench-crash';
const SHOP_DOMAIN = 'bench-crash.myshopify.com';
const SELLER_ID = 'BENCHSELLER';
const REFUND_TOPICS = ['refunds/create', 'ledgerbridge/refund.import'];
/** Billing kinds of the orders, and the NetSuite records a refund of one stove (49.50) becomes for each. */
const BILLINGS = {
  cash_sale: [{ type: 'cashrefund', amount: 4950 }],
  invoice_open: [{ type: 'creditmemo', amount: 4950 }],
  invoice_paid: [
    { type: 'creditmemo', amount: 4950 },
    { type: 'customerrefund', amount: 4950 },
  ],
  deposit: [{ type: 'customerrefund', amount: 4950 }],
};
const KIND_NAMES = { cash_sale: 'cash refund', invoice_open: 'credit memo', invoice_paid: 'credit memo + customer refund', deposit: 'customer refund against a deposit' };
const OPEN_STATES = ['received', 'queued', 'posting'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** --name N / --name=N from argv; `kind` 'int' (non-negative integer), 'rate' (0..1) or a list of allowed words. */
function arg(argv, name, fallback, kind = 'int') {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const value = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
  if (Array.isArray(kind)) {
    if (!kind.includes(value)) throw new RangeError(`--${name} must be one of ${kind.join(', ')}`);
    return value;
  }
  const n = Number(value);
  if (kind === 'rate' ? !(n >= 0 && n <= 1) : !Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be ${kind === 'rate' ? 'between 0 and 1' : 'a non-negative integer'}`);
  return n;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The local account process: fork, wait for ready, then call(cmd, args) over IPC. */
async function startAccountProcess(dir, { concurrencyLimit }) {
  const child = fork(ACCOUNT_SCRIPT, [JSON.stringify({ accountId: ACCOUNT_ID, stateFile: path.join(dir, 'netsuite-account.json'), concurrencyLimit, shopDomain: SHOP_DOMAIN, sellerId: SELLER_ID })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 1;
  let exited = null;
  child.on('message', (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new Error(`local account: ${msg.error}`));
  });
  await new Promise((resolve, reject) => {
    child.once('message', (m) => (m && m.ready ? resolve() : reject(new Error('local account did not start'))));
    child.once('exit', (code) => reject(new Error(`local account exited (${code}) before it was ready`)));
  });
  child.on('exit', (code) => {
    exited = code;
    for (const p of pending.values()) p.reject(new Error(`local account exited (${code})`));
    pending.clear();
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      if (exited !== null) return reject(new Error(`local account exited (${exited})`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  return {
    child,
    call,
    async close() {
      if (exited !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      await call('close').catch(() => undefined);
      await Promise.race([gone, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The store `start` opens: tenant, the NetSuite connection (TBA), a Shopify and an Amazon channel, both to NetSuite. */
async function prepareStore(database, masterKey, info) {
  const { openDb } = dist('middleware', 'store', 'open-db');
  const { migrate } = dist('middleware', 'store', 'migrate');
  const { createSecretBox } = dist('middleware', 'security', 'secret-box');
  const { ensureTenant } = dist('middleware', 'store', 'sql', 'tenants');
  const { createChannel, createConnection } = dist('middleware', 'tenancy', 'tenancy-service');
  const { FLOWS, channelSchemasFor } = dist('middleware', 'flows');
  // The channel settings as the flows `start` runs compose them (the refund flow's `refunds` settings included).
  const schemas = channelSchemasFor(FLOWS);
  const db = await openDb(database);
  try {
    await migrate(db);
    const box = createSecretBox(masterKey);
    await ensureTenant(db, { id: TENANT, name: TENANT });
    const connection = await createConnection(db, box, TENANT, { name: 'Local account', accountId: ACCOUNT_ID, authKind: 'tba', credentials: info.netsuite.tba });
    if (!connection.ok) throw new Error(connection.error.message);
    // Orders are linked by the sales order's otherrefnum (the platform's order id), as the sandbox links them.
    const refunds = { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } };
    const shop = await createChannel(db, box, TENANT, {
      kind: 'shopify',
      name: 'Shop',
      connectionId: connection.value.id,
      settings: { shopDomain: info.shopify.shopDomain, refundDirection: 'platform_to_netsuite', refunds },
      secrets: { webhookSecret: info.shopify.webhookSecret, accessToken: info.shopify.accessToken },
    }, schemas);
    if (!shop.ok) throw new Error(`shopify channel: ${shop.error.message}`);
    const amazon = await createChannel(db, box, TENANT, {
      kind: 'amazon',
      name: 'Amazon',
      connectionId: connection.value.id,
      settings: { marketplaceId: 'ATVPDKIKX0DER', sellerId: SELLER_ID, refundDirection: 'platform_to_netsuite', refunds },
      secrets: { lwaClientId: info.amazon.lwaClientId, lwaClientSecret: info.amazon.lwaClientSecret, refreshToken: info.amazon.refreshToken },
    }, schemas);
    if (!amazon.ok) throw new Error(`amazon channel: ${amazon.error.message}`);
    return { shopifyChannelId: shop.value.id, amazonChannelId: amazon.value.id, concurrencyLimit: connection.value.concurrencyLimit };
  } finally {
    await db.close();
  }
}

/** Prometheus text → { name: { labelText: value } } for the lines we read. */
function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^(ledgerbridge_[a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (!m) continue;
    (out[m[1]] ??= {})[m[2] ?? ''] = Number(m[3]);
  }
  return out;
}

async function scrape(url) {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    if (res.status !== 200) return null;
    const m = parseMetrics(await res.text());
    const states = {};
    for (const [labels, v] of Object.entries(m.ledgerbridge_sync_records ?? {})) states[/state="([^"]+)"/.exec(labels)?.[1] ?? '?'] = v;
    const attempts = {};
    for (const [labels, v] of Object.entries(m.ledgerbridge_sync_attempts_total ?? {})) attempts[/outcome="([^"]+)"/.exec(labels)?.[1] ?? '?'] = v;
    return { states, attempts };
  } catch {
    return null;
  }
}

/** One `ledgerbridge start` process, its output appended to a log file. */
function spawnStart(env, port, logFile) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port), '--host', '127.0.0.1'], { env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, spawnedAt: Date.now() };
}

/** Posts a signed Shopify delivery until it is answered 2xx (Shopify retries a delivery that was not). */
async function deliver(url, delivery, stats) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(15_000) });
      const body = await res.json().catch(() => ({}));
      if (res.status >= 200 && res.status < 300) {
        if (body.duplicate === true) stats.duplicateAnswers += 1;
        if (attempt > 1) stats.redelivered += 1;
        return;
      }
      stats.non2xx += 1;
    } catch {
      stats.connectionErrors += 1;
    }
    await sleep(Math.min(2_000, 100 * attempt));
  }
}

/**
 * One run: N refunds (half Shopify webhooks, half polled Amazon refunds; each platform's over the four billing
 * kinds in turn) through real `ledgerbridge start` processes on `store`, SIGKILLed `kills` times at spread points
 * of the posting (restarted at once), with `faults` injected by the local account's host. Returns the run's report.
 */
async function runScenario({ refunds: N, kills: K, store, faults, rate, settleSeconds, label }) {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lb-bench-${label}-${store}-`));
  const logFile = path.join(dir, 'ledgerbridge-start.log');
  const account = await startAccountProcess(dir, { concurrencyLimit: 5 });
  let pg = null;
  let side = null;
  let current = null;
  const report = { store, dataDir: dir };
  try {
    const info = await account.call('info');
    const masterKey = randomBytes(32).toString('base64');
    let database;
    if (store === 'postgres') {
      pg = await startPostgres({ max_connections: 100 });
      database = { kind: 'postgres', url: pg.url, poolSize: 10 };
      report.postgres = { source: pg.source, version: pg.version };
    } else {
      database = { kind: 'pglite', dataDir: path.join(dir, 'pglite') };
    }
    const prepared = await prepareStore(database, masterKey, info);

    // The refund mix: orders on the platforms and in the local account, one refund each.
    const specs = Array.from({ length: N }, (_, i) => ({ platform: i % 2 === 0 ? 'shopify' : 'amazon', billing: Object.keys(BILLINGS)[Math.floor(i / 2) % 4] }));
    const orders = [];
    for (let i = 0; i < specs.length; i += 200) orders.push(...(await account.call('orders', { specs: specs.slice(i, i + 200) })));
    const recordsBefore = new Set((await account.call('records')).map((r) => `${r.type}:${r.id}`));

    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      LEDGERBRIDGE_DATA_DIR: dir,
      LEDGERBRIDGE_MASTER_KEY: masterKey,
      LEDGERBRIDGE_JOB_POLL_SECONDS: '0.5',
      LOG_LEVEL: 'warn',
      LEDGERBRIDGE_NETSUITE_BASE_URL: info.netsuite.url,
      LEDGERBRIDGE_SHOPIFY_BASE_URL: info.shopify.url,
      LEDGERBRIDGE_AMAZON_BASE_URL: info.amazon.url,
      LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true',
      ...(store === 'postgres' ? { DATABASE_URL: pg.url } : {}),
    };
    // The settings `start` runs with, as its configuration module reads this environment.
    const { loadConfig } = dist('middleware', 'config');
    const config = loadConfig({ mode: 'production', env });
    report.middleware = {
      database: config.database.kind,
      jobs: { pollingIntervalSeconds: config.jobs.pollingIntervalSeconds, batchSize: config.jobs.batchSize, expireInSeconds: config.jobs.expireInSeconds, retryLimit: config.jobs.retryLimit, retryDelaySeconds: config.jobs.retryDelaySeconds, superviseIntervalSeconds: config.jobs.superviseIntervalSeconds },
      connectionConcurrencyLimit: prepared.concurrencyLimit,
    };
    if (faults) await account.call('configure', { changes: { faults } });
    const hostBefore = await account.call('counters');

    if (store === 'postgres') side = await dist('middleware', 'store', 'open-db').openDb({ kind: 'postgres', url: pg.url, poolSize: 1 });
    const mwUrl = `http://127.0.0.1:${port}`;
    const processes = [];
    const startOne = () => {
      current = spawnStart(env, port, logFile);
      processes.push(current);
      return current;
    };
    startOne();
    const bootDeadline = Date.now() + 60_000;
    while (!(await scrape(mwUrl))) {
      if (current.child.exitCode !== null || Date.now() > bootDeadline) throw new Error(`ledgerbridge start did not come up; see ${logFile}`);
      await sleep(100);
    }
    report.firstStartMs = Date.now() - current.spawnedAt;

    // Feed: refunds made on the platforms at `rate` per second; Shopify's delivery posted until answered 2xx.
    const issued = [];
    const delivery = { duplicateAnswers: 0, redelivered: 0, non2xx: 0, connectionErrors: 0 };
    const webhookUrl = `${mwUrl}/webhooks/shopify/${prepared.shopifyChannelId}`;
    const inFlight = new Set();
    const feed = (async () => {
      const gap = rate > 0 ? 1000 / rate : 0;
      const t0 = Date.now();
      for (let i = 0; i < orders.length; i++) {
        const wait = t0 + i * gap - Date.now();
        if (wait > 0) await sleep(wait);
        const o = orders[i];
        const made = await account.call('refund', { platform: o.platform, orderId: o.orderId });
        issued.push({ ...o, refundId: made.refundId });
        if (made.delivery) {
          const p = deliver(webhookUrl, made.delivery, delivery).finally(() => inFlight.delete(p));
          inFlight.add(p);
          while (inFlight.size >= 8) await Promise.race(inFlight);
        }
      }
      await Promise.all(inFlight);
    })();
    let fed = false;
    let feedError = null;
    feed.then(
      () => (fed = true),
      (error) => (feedError = error),
    );

    // Watch /metrics; SIGKILL at the spread points of the posting; restart at once; time the recovery.
    const thresholds = Array.from({ length: K }, (_, k) => Math.round(((k + 1) * N) / (K + 1)));
    const killReports = [];
    let recovering = null;
    let last = null;
    let lastProgressAt = Date.now();
    let lastFinal = -1;
    let settled = false;
    for (;;) {
      const m = await scrape(mwUrl);
      const now = Date.now();
      if (m) {
        last = m;
        const posted = m.states.posted ?? 0;
        const final = ['posted', 'failed', 'parked', 'cancelled', 'skipped'].reduce((a, s) => a + (m.states[s] ?? 0), 0);
        const open = OPEN_STATES.reduce((a, s) => a + (m.states[s] ?? 0), 0);
        if (final !== lastFinal) {
          lastFinal = final;
          lastProgressAt = now;
        }
        if (recovering) {
          recovering.readyMs ??= now - recovering.restartedAt;
          if ((m.attempts.posted ?? 0) > 0) {
            recovering.firstJobMs = now - recovering.restartedAt;
            delete recovering.restartedAt;
            recovering = null;
          }
        }
        if (!recovering && killReports.length < K && posted >= thresholds[killReports.length]) {
          const victim = current;
          victim.child.kill('SIGKILL');
          await victim.exited;
          const killedAt = Date.now();
          startOne();
          // What the killed processes left held in the store's NetSuite concurrency budget (PostgreSQL only: the
          // embedded store is open in one process at a time). Read while the new process is still starting.
          const slotsHeld = side ? Number((await side.query('select count(*)::int as n from lb_netsuite_slots where holder is not null and expires_at >= clock_timestamp()')).rows[0].n) : null;
          recovering = { postedAtKill: posted, postingAtKill: m.states.posting ?? 0, queuedAtKill: m.states.queued ?? 0, netsuiteSlotsHeldAtRestart: slotsHeld, ofRefunds: N, atSecond: Number(((killedAt - started) / 1000).toFixed(1)), restartedAt: current.spawnedAt, readyMs: null, firstJobMs: null };
          killReports.push(recovering);
          continue;
        }
        if (fed && open === 0 && final >= N && !recovering) {
          settled = true;
          break;
        }
      }
      if (feedError) throw feedError;
      if (fed && now - lastProgressAt > settleSeconds * 1000) break; // nothing moved for too long: report what is there
      if (current.child.exitCode !== null && !recovering) throw new Error(`ledgerbridge start exited by itself (${current.child.exitCode}); see ${logFile}`);
      await sleep(100);
    }
    report.seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    // Let the last process stop as an operator would stop it (SIGTERM), then read the store.
    current.child.kill('SIGTERM');
    const stop = await Promise.race([current.exited, sleep(30_000).then(() => null)]);
    if (!stop) current.child.kill('SIGKILL');
    current = null;
    const hostAfter = await account.call('counters');
    if (side) {
      await side.close();
      side = null;
    }
    report.startLog = summarizeLog(logFile);

    report.refunds = {
      issued: issued.length,
      shopifyWebhooks: issued.filter((r) => r.platform === 'shopify').length,
      amazonPolled: issued.filter((r) => r.platform === 'amazon').length,
      byKind: Object.fromEntries(Object.keys(BILLINGS).map((b) => [KIND_NAMES[b], issued.filter((r) => r.billing === b).length])),
      settled,
      deliveries: delivery,
    };
    report.kills = killReports;
    const firstJobs = killReports.map((k) => k.firstJobMs).filter((x) => x !== null);
    report.recoveryMs = { each: killReports.map((k) => k.firstJobMs), max: firstJobs.length ? Math.max(...firstJobs) : null, readyMax: killReports.length ? Math.max(...killReports.map((k) => k.readyMs ?? Infinity)) : null };
    report.processesStarted = processes.length;
    report.lastMetrics = last && last.states;
    const count = (key) => (hostAfter.counters[key] ?? 0) - (hostBefore.counters[key] ?? 0);
    report.netsuiteHost = {
      settings: hostAfter.settings,
      requests: count('requests'),
      scriptRuns: count('scriptRuns'),
      limitRejections: count('limitRejections'),
      faultsInjected: count('faultsInjected'),
      injectedLimitErrors: count('injectedLimitErrors'),
      injectedServerErrors: count('injectedServerErrors'),
      lostResponses: count('lostResponses'),
      unitsUsed: count('unitsUsed'),
    };
    Object.assign(report, await verify({ database, account, issued, recordsBefore, info }));
    report.pass = settled && report.exactlyOnce.duplicated === 0 && report.exactlyOnce.lost === 0 && report.exactlyOnce.wrongAmount === 0 && report.exceptions.falseExceptions === 0 && report.exceptions.total === 0 && (K === 0 || firstJobs.length === K);
    return report;
  } finally {
    if (current && current.child.exitCode === null) {
      current.child.kill('SIGKILL');
      await current.exited;
    }
    await account.close();
    if (side) await side.close().catch(() => undefined);
    if (pg) pg.stop();
    // A run that failed keeps its folder (store, account state file, the start processes' log) as evidence.
    if (report.pass) fs.rmSync(dir, { recursive: true, force: true });
    else report.keptDataDir = true;
  }
}

/** The start processes' log (level warn and above): lines by level and the most frequent messages. */
function summarizeLog(file) {
  const levels = {};
  const messages = new Map();
  let other = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      other += 1; // not a log line (e.g. the stale-build notice on stderr)
      continue;
    }
    const level = { 40: 'warn', 50: 'error', 60: 'fatal' }[entry.level] ?? String(entry.level);
    levels[level] = (levels[level] ?? 0) + 1;
    const key = `${level}: ${String(entry.msg).slice(0, 160)}`;
    messages.set(key, (messages.get(key) ?? 0) + 1);
  }
  const top = [...messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([message, count]) => ({ message, count }));
  return { levels, otherLines: other, top };
}

/** What NetSuite holds per refund (by externalId) against what the store says about each refund's sync record. */
async function verify({ database, account, issued, recordsBefore, info }) {
  const { refundExternalId } = dist('core', 'refunds');
  const { parseMoney } = dist('core', 'money');
  const { openDb } = dist('middleware', 'store', 'open-db');
  const accountOf = { shopify: info.shopify.shopDomain, amazon: SELLER_ID };
  const records = (await account.call('records')).filter((r) => !recordsBefore.has(`${r.type}:${r.id}`));
  const byExternalId = new Map();
  for (const r of records) {
    const key = `${r.type}:${r.externalId}`;
    byExternalId.set(key, [...(byExternalId.get(key) ?? []), r]);
  }
  const expectedKeys = new Set();
  const perRefund = new Map();
  let lost = 0;
  let duplicated = 0;
  let wrongAmount = 0;
  const lostCases = [];
  const wrongCases = [];
  for (const r of issued) {
    let complete = true;
    for (const want of BILLINGS[r.billing]) {
      const externalId = refundExternalId({ platform: r.platform, account: accountOf[r.platform], refundId: r.refundId }, want.type);
      const key = `${want.type}:${externalId}`;
      expectedKeys.add(key);
      const held = byExternalId.get(key) ?? [];
      if (held.length === 0) {
        lost += 1;
        complete = false;
        if (lostCases.length < 10) lostCases.push({ platform: r.platform, orderId: r.orderId, refundId: r.refundId, billing: r.billing, missing: want.type, externalId });
        continue;
      }
      duplicated += held.length - 1;
      const total = held[0].total === null ? null : parseMoney(String(held[0].total), 'USD').amount;
      if (total !== want.amount) {
        wrongAmount += 1;
        if (wrongCases.length < 10) wrongCases.push({ refundId: r.refundId, type: want.type, externalId, total: held[0].total, expected: want.amount });
      }
    }
    perRefund.set(`${r.platform}:${r.refundId}`, complete);
  }
  // A refund-kind record NetSuite holds that belongs to no refund's planned externalIds is a second posting.
  const strays = records.filter((r) => !expectedKeys.has(`${r.type}:${r.externalId}`));
  duplicated += strays.length;

  const db = await openDb(database);
  let rows;
  let attempts;
  try {
    rows = (
      await db.query(
        `select s.id, s.topic, s.state, s.state_code, s.state_message, s.external_key, s.attempt_count, c.kind, r.platform_refund_id
           from lb_sync_records s join lb_channels c on c.id = s.channel_id left join lb_refunds r on r.sync_record_id = s.id
          where s.tenant_id = $1`,
        [TENANT],
      )
    ).rows;
    attempts = Object.fromEntries((await db.query('select outcome, count(*)::int as n from lb_sync_attempts group by outcome')).rows.map((r) => [r.outcome, Number(r.n)]));
  } finally {
    await db.close();
  }
  const syncByState = {};
  for (const r of rows) syncByState[r.state] = (syncByState[r.state] ?? 0) + 1;
  const refundRows = rows.filter((r) => REFUND_TOPICS.includes(r.topic));
  const recordsPerRefund = new Map();
  for (const r of refundRows) if (r.platform_refund_id) recordsPerRefund.set(`${r.kind}:${r.platform_refund_id}`, (recordsPerRefund.get(`${r.kind}:${r.platform_refund_id}`) ?? 0) + 1);
  const withoutSyncRecord = issued.filter((r) => !recordsPerRefund.has(`${r.platform}:${r.refundId}`)).length;
  const exceptionRows = rows.filter((r) => r.state === 'failed' || r.state === 'parked');
  const falseExceptions = exceptionRows.filter((r) => r.platform_refund_id && perRefund.get(`${r.kind}:${r.platform_refund_id}`) === true);
  const describe = (r) => ({ syncRecord: r.id, platform: r.kind, refundId: r.platform_refund_id, topic: r.topic, state: r.state, code: r.state_code, message: r.state_message && r.state_message.slice(0, 300), attempts: r.attempt_count, netsuiteHoldsAll: r.platform_refund_id ? perRefund.get(`${r.kind}:${r.platform_refund_id}`) === true : null });
  return {
    exactlyOnce: {
      expectedRecords: expectedKeys.size,
      netsuiteRecords: records.length,
      byType: Object.fromEntries(['cashrefund', 'creditmemo', 'customerrefund'].map((t) => [t, records.filter((r) => r.type === t).length])),
      duplicated,
      lost,
      wrongAmount,
      lostCases,
      wrongCases,
      strays: strays.slice(0, 10),
    },
    syncRecords: { byState: syncByState, refundRecords: refundRows.length, refundsWithoutSyncRecord: withoutSyncRecord, refundsWithSeveralSyncRecords: [...recordsPerRefund.values()].filter((n) => n > 1).length },
    attempts,
    exceptions: { total: exceptionRows.length, falseExceptions: falseExceptions.length, cases: exceptionRows.slice(0, 10).map(describe) },
  };
}

module.exports = { arg, runScenario, startPostgres, BILLINGS, KIND_NAMES };
