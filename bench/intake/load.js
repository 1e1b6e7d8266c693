// The intake bench's load generator, run in its own process (forked by run.js) so the server under test has its
// process to itself. Takes one job over IPC, runs autocannon, sends back what autocannon measured, and exits.
// Each request is a signed Shopify refund webhook with its own event id (the HMAC is computed here, per request);
// the bare Express target gets the same requests.
'use strict';
const { createHmac } = require('node:crypto');
const autocannon = require('autocannon');

function run(job) {
  let seq = 0;
  let bodyBytes = 0;
  const setupRequest = (request) => {
    const n = seq++;
    const body = `{"id":${9007199254740993n + BigInt(n)},"order_id":"450789469","note":"${job.padding}","refund_line_items":[{"quantity":1,"subtotal":"10.00"}]}`;
    bodyBytes += Buffer.byteLength(body);
    request.body = body;
    request.headers = {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', job.secret).update(body).digest('base64'),
      'x-shopify-topic': 'refunds/create',
      'x-shopify-event-id': `${job.prefix}-${n}`,
    };
    return request;
  };
  const options = {
    url: job.url,
    method: 'POST',
    connections: job.connections,
    timeout: job.timeoutSeconds,
    requests: [{ method: 'POST', path: new URL(job.url).pathname, setupRequest }],
    ...(job.amount ? { amount: job.amount } : { duration: job.durationSeconds }),
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
  };
  const instance = autocannon(options, (error, result) => {
    if (error) {
      process.send({ error: String(error.stack ?? error) }, () => process.exit(1));
      return;
    }
    process.send(
      {
        connections: result.connections,
        durationSeconds: result.duration,
        requests: result.requests.total,
        ok2xx: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        bodyBytes: seq > 0 ? Math.round(bodyBytes / seq) : 0,
        sent: seq,
        overallRate: job.overallRate ?? null,
        timeoutSeconds: job.timeoutSeconds,
      },
      () => process.exit(0),
    );
  });
  process.once('SIGTERM', () => instance.stop());
}

process.once('message', run);
