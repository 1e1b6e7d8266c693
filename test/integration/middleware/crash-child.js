// A middleware process for the SIGKILL test (run by crash-recovery.integration.test.ts from the built dist/).
// Its processor writes one "effect" per sync record the way a NetSuite write does: look the key up first (externalId),
// write only when absent, and take time on both sides of the write so a kill lands mid-attempt.
// Options: url, masterKey; expireInSeconds and superviseIntervalSeconds (the configuration's defaults when absent);
// recordStarts (log each attempt's start in test_starts); holdMs (wait this long after the start is logged).
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', '..', 'dist', 'middleware');
const { loadConfig } = require(path.join(dist, 'config'));
const { startMiddleware } = require(path.join(dist, 'runtime', 'server'));

const options = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const config = loadConfig({
    mode: 'production',
    env: {},
    overrides: {
      masterKey: options.masterKey,
      database: { kind: 'postgres', url: options.url, poolSize: 5 },
      logLevel: 'warn',
      http: { host: '127.0.0.1', port: 0 },
      jobs: {
        pollingIntervalSeconds: 0.5,
        batchSize: 4,
        ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
        ...(options.superviseIntervalSeconds ? { superviseIntervalSeconds: options.superviseIntervalSeconds } : {}),
      },
    },
  });
  let db;
  const running = await startMiddleware(config, {
    processor: async ({ record }) => {
      if (options.recordStarts) {
        await db.query('insert into test_starts (external_key, pid) values ($1, $2)', [record.external_key, process.pid]);
      }
      if (options.holdMs) await sleep(options.holdMs);
      await sleep(150);
      const found = await db.query('select 1 from test_effects where external_key = $1', [record.external_key]);
      if (found.rows.length === 0) {
        await db.query('insert into test_effects (external_key, pid) values ($1, $2)', [record.external_key, process.pid]);
      }
      await sleep(150);
      return { kind: 'posted' };
    },
  });
  db = running.db;
  process.stdout.write(`READY ${running.url}\n`);
  process.on('SIGTERM', () => running.close().then(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
