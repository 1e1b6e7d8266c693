// `ledgerbridge netsuite check` against the local account's HTTP host on 127.0.0.1 (real TBA and M2M sign-in).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runNetsuiteCommand } from '../../../middleware/cli/netsuite-command';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type RunningNetSuiteHost } from '../../../emulator/http';
import { seededAccount, type Seeded } from '../bundle/local-account';

const ACCOUNT = '4455667';
const creds = generateSandboxCredentials();
let s: Seeded;
let running: RunningNetSuiteHost;
let keyFile: string;

beforeAll(async () => {
  s = seededAccount({ accountId: ACCOUNT });
  const host = createNetSuiteHost({ accountId: ACCOUNT, runner: s.account.restlets, records: s.account.engine, credentials: hostCredentialsFor(creds) });
  running = await host.listen();
  keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lb-check-')), 'key.pem');
  fs.writeFileSync(keyFile, creds.m2m.privateKeyPem);
});
afterAll(async () => {
  await running.close();
  await s.account.close();
  fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
});

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runNetsuiteCommand(['check', '--account', ACCOUNT, '--url', running.url, ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const tbaFlags = (tokenSecret = creds.tba.tokenSecret) => [
  '--consumer-key', creds.tba.consumerKey, '--consumer-secret', creds.tba.consumerSecret, '--token-id', creds.tba.tokenId, '--token-secret', tokenSecret,
];

describe('ledgerbridge netsuite check', () => {
  it('passes with TBA and names the bundle version and features', async () => {
    const r = await check(tbaFlags());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok\s+authentication: TBA accepted by account 4455667/);
    expect(r.out).toMatch(/ok\s+bundle version: bundle 0\.1\.0, API v1/);
    expect(r.out).toMatch(/ok\s+features: SERVERSIDESCRIPTING, CUSTOMRECORDS enabled/);
    expect(r.out).toContain('The connection is ready.');
  });

  it('passes with OAuth 2.0 M2M (JSON output)', async () => {
    const r = await check(['--client-id', creds.m2m.clientId, '--certificate-id', creds.m2m.certificateId, '--private-key-file', keyFile, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, steps: [{ name: 'authentication', ok: true }, { name: 'restlet', ok: true }, { name: 'bundle version', ok: true }, { name: 'features', ok: true }] });
  });

  it('fails clearly on refused credentials and points at `netsuite sign`', async () => {
    const r = await check(tbaFlags('0'.repeat(64)));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL\s+authentication: TBA refused \(INVALID_LOGIN_ATTEMPT/);
    expect(r.out).toContain('ledgerbridge netsuite sign');
  });

  it('reports a missing feature', async () => {
    s.account.setFeature('CUSTOMRECORDS', false);
    try {
      const r = await check(tbaFlags());
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/FAIL\s+features: enable CUSTOMRECORDS/);
    } finally {
      s.account.setFeature('CUSTOMRECORDS', true);
    }
  });

  it('refuses incomplete credentials with usage help', async () => {
    const r = await check(['--consumer-key', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give all TBA flags');
  });
});
