/**
 * The sandbox command's flags from the built CLI: --help lists them; --seed FILE adds the file's data to the local
 * account (and a bad seed is refused before anything listens, naming the entry); the emulator's latency, concurrency
 * limit and fault rates take effect on the printed RESTlet; out-of-range values are refused; a busy port is named,
 * with the flag that picks a free one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { signTbaRequest } from '../../core/netsuite/oauth1';
import { RESTLET_API_VERSION } from '../../core/bundle-version';

const BIN = path.join(__dirname, '..', '..', 'bin', 'ledgerbridge.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-sandbox-flags-'));
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'sandbox', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sandbox(args: string[]): Promise<{ child: ChildProcess; ready: Json }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--json', '--port', '0', '--memory', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, ready: JSON.parse(out.slice(0, nl)) as Json });
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}) before ready:\n${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A TBA-signed RESTlet call with the printed credentials. */
async function restlet(ready: Json, body: object): Promise<{ status: number; json: Json; ms: number }> {
  const url = ready.netsuite.restlet.url as string;
  const { authorization } = signTbaRequest({
    ...ready.netsuite.tba,
    method: 'POST',
    url,
    realm: ready.netsuite.realm,
    nonce: randomBytes(16).toString('hex'),
    timestamp: Math.floor(Date.now() / 1000),
  });
  const t0 = Date.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ ...body, apiVersion: RESTLET_API_VERSION }) });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = { text };
  }
  return { status: res.status, json, ms: Date.now() - t0 };
}

describe('ledgerbridge sandbox flags', () => {
  it('--help lists every flag the contract names', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--json', '--port', '--seed', '--latency-ms', '--concurrency-limit', '--limit-error-rate', '--server-error-rate', '--lost-response-rate', '--memory', '--data-dir', '--help']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('refuses a bad seed before anything listens, naming the entry; refuses out-of-range emulator flags', () => {
    const bad = path.join(dir, 'bad-seed.json');
    fs.writeFileSync(bad, JSON.stringify({ items: [{ sku: 'X-1', name: 'X', type: 'gadget', price: '1.00' }] }));
    const r = run(['--json', '--port', '0', '--memory', '--seed', bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--seed .*bad-seed\.json/);
    expect(r.stderr).toMatch(/items\[0\]\.type/);
    const unknown = path.join(dir, 'unknown-key.json');
    fs.writeFileSync(unknown, JSON.stringify({ widgets: [] }));
    expect(run(['--memory', '--seed', unknown]).stderr).toContain('unknown key "widgets"');
    expect(run(['--memory', '--server-error-rate', '2'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--server-error-rate must be between 0 and 1') });
    expect(run(['--memory', '--concurrency-limit', '0'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--concurrency-limit') });
  }, 60_000);

  it('names a busy middleware or NetSuite port and suggests the flag that picks a free one, without a stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const middleware = run(['--memory', '--port', String(port)]);
      expect(middleware.status).toBe(2);
      expect(middleware.stderr).toContain(`ledgerbridge sandbox: port ${port} on 127.0.0.1 is already in use`);
      expect(middleware.stderr).toContain('--port 0');
      expect(middleware.stderr).not.toMatch(/^\s+at /m);

      const netsuite = run(['--memory', '--port', '0', '--netsuite-port', String(port)]);
      expect(netsuite.status).toBe(2);
      expect(netsuite.stderr).toContain(`ledgerbridge sandbox: port ${port} on 127.0.0.1 is already in use`);
      expect(netsuite.stderr).toContain('--netsuite-port 0');
      expect(netsuite.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  it('loads --seed FILE into the local account and applies --latency-ms and --concurrency-limit to the RESTlet', async () => {
    const seed = path.join(dir, 'seed.json');
    fs.writeFileSync(seed, JSON.stringify({ items: [{ sku: 'E2E-SEEDED-1', name: 'Seeded by the e2e test', type: 'noninventory', price: '12.34' }] }));
    const { child, ready } = await sandbox(['--seed', seed, '--latency-ms', '300', '--concurrency-limit', '1']);
    try {
      const found = await restlet(ready, { action: 'batch', operations: [{ opId: 'skus', kind: 'itemsBySku', skus: ['E2E-SEEDED-1', 'LB-STOVE', 'NOT-THERE'] }] });
      expect(found.status).toBe(200);
      const result = (found.json.results as Json[])[0] as Json;
      expect(result).toMatchObject({ opId: 'skus', status: 'ok', kind: 'itemsBySku', missing: ['NOT-THERE'] });
      // From the file, and the default sandbox data is still there.
      expect(Object.keys(result.items as Json).sort()).toEqual(['E2E-SEEDED-1', 'LB-STOVE']);
      expect(found.ms).toBeGreaterThanOrEqual(290);

      // Limit 1: of two calls at once, one runs and one is refused the way NetSuite refuses it.
      const pair = await Promise.all([restlet(ready, { action: 'health' }), restlet(ready, { action: 'health' })]);
      expect(pair.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(JSON.stringify(pair.find((r) => r.status === 400)?.json)).toContain('SSS_REQUEST_LIMIT_EXCEEDED');
    } finally {
      await stop(child);
    }
  }, 90_000);

  it('applies --server-error-rate to the RESTlet', async () => {
    const { child, ready } = await sandbox(['--server-error-rate', '1']);
    try {
      const r = await restlet(ready, { action: 'health' });
      expect(r.status).toBeGreaterThanOrEqual(500);
    } finally {
      await stop(child);
    }
  }, 90_000);
});
