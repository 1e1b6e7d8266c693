/**
 * The sandbox verifies eBay notifications as production does: its eBay channel stores no key, the middleware is
 * configured with the simulated eBay's API URL and client credentials, and the key named by X-EBAY-SIGNATURE is
 * fetched from the simulator's getPublicKey with a minted application token, then served from the cache. The
 * signing key printed in the ready line is the one the simulated eBay publishes.
 */
import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { startSandbox, type SandboxHandle } from '../../middleware/cli/sandbox-command';
import { getChannel } from '../../middleware/store/sql/channels';
import { openChannelSecrets } from '../../middleware/tenancy/tenancy-service';
import { SANDBOX_TENANT_ID } from '../../middleware/sandbox/sandbox-tenant';

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, memory: true }, { logToStderr: false });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

function notification(): string {
  return JSON.stringify({
    metadata: { topic: 'MARKETPLACE_ACCOUNT_DELETION', schemaVersion: '1.0', deprecated: false },
    notification: { notificationId: randomUUID(), eventDate: new Date().toISOString(), publishDate: new Date().toISOString(), publishAttemptCount: 1, data: { username: 'sandbox_buyer' } },
  });
}

function signatureHeader(body: string, kid: string, privateKey: string | KeyObject): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const signature = createSign('sha1').update(body).sign({ key, dsaEncoding: 'der' }).toString('base64');
  return Buffer.from(JSON.stringify({ alg: 'ECDSA', kid, signature, digest: 'SHA1' })).toString('base64');
}

async function post(body: string, signature: string): Promise<number> {
  const res = await fetch(sandbox.ready.channels.ebay?.webhookUrl as string, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ebay-signature': signature }, body });
  await res.arrayBuffer();
  return res.status;
}

describe('the sandbox eBay channel', () => {
  it('stores no public key and the middleware is pointed at the simulated eBay', async () => {
    const row = await getChannel(sandbox.middleware.db, SANDBOX_TENANT_ID, 'sandbox-ebay');
    expect(row).toBeDefined();
    const secrets = openChannelSecrets(sandbox.middleware.secretBox, row as NonNullable<typeof row>);
    expect(secrets?.publicKeys).toBeUndefined();
    expect(sandbox.middleware.config.ebay.apiBaseUrl).toBe(sandbox.ready.refunds.simulators.ebay?.url);
    expect(sandbox.middleware.ebayKeys).toBeDefined();
  });

  it('accepts a notification signed with the ready line key through a fetched key, the next from the cache', async () => {
    const { kid, privateKeyPem } = sandbox.ready.channels.ebay?.signingKey as { kid: string; privateKeyPem: string };
    const before = sandbox.middleware.ebayKeys?.stats().fetches ?? 0;
    const first = notification();
    expect(await post(first, signatureHeader(first, kid, privateKeyPem))).toBe(202);
    expect(sandbox.middleware.ebayKeys?.stats().fetches).toBe(before + 1);
    const second = notification();
    expect(await post(second, signatureHeader(second, kid, privateKeyPem))).toBe(202);
    expect(sandbox.middleware.ebayKeys?.stats().fetches).toBe(before + 1);
  });

  it('refuses another key under the same key id, and a key id the simulated eBay does not publish', async () => {
    const { kid } = sandbox.ready.channels.ebay?.signingKey as { kid: string };
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const body = notification();
    expect(await post(body, signatureHeader(body, kid, privateKey))).toBe(401);
    expect(await post(body, signatureHeader(body, randomUUID(), privateKey))).toBe(401);
  });
});
