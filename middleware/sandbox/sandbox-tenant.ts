/**
 * The sandbox tenant: one NetSuite connection to the local account and one channel per kind, each with its
 * webhook secrets (the simulated platforms get them from the ready line). Secrets are generated the first time and
 * passed back on later starts (the sandbox keeps them in its data folder), so clients holding them keep working
 * across restarts. Fixed ids make re-seeding a persisted data folder idempotent.
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SecretBox } from '../security/secret-box';
import type { Db } from '../store/db';
import { ensureTenant } from '../store/sql/tenants';
import * as channelsSql from '../store/sql/channels';
import * as connectionsSql from '../store/sql/connections';
import { defaultRole, validateSettings, type ChannelKind } from '../tenancy/channel-kinds';
import type { TbaCredentials } from '../tenancy/netsuite-credentials';

export const SANDBOX_TENANT_ID = 'sandbox';
export const SANDBOX_CONNECTION_ID = 'sandbox-netsuite';

export interface SandboxChannel {
  id: string;
  kind: ChannelKind;
  /** How the simulated platform must sign its webhooks. */
  scheme: 'shopify-hmac' | 'loop-hmac' | 'bearer' | 'standard-webhooks' | 'ebay-ecdsa' | 'none';
  /** Shared secret (HMAC key, bearer secret or whsec_ key); absent for eBay (it signs with a private key). */
  secret?: string;
  /** eBay: the signing key and its key id (X-EBAY-SIGNATURE kid). */
  signingKey?: { kid: string; privateKeyPem: string; algorithm: 'ECDSA'; digest: 'SHA1' };
}

const SETTINGS: Record<ChannelKind, Record<string, unknown>> = {
  shopify: { shopDomain: 'ledgerbridge-sandbox.myshopify.com' },
  magento: { baseUrl: 'http://127.0.0.1/magento-sandbox' },
  amazon: { marketplaceId: 'ATVPDKIKX0DER' },
  ebay: { marketplaceId: 'EBAY_US' },
  loop: {},
  payments: {},
};

type ChannelSecrets = { stored: Record<string, unknown>; channel: Omit<SandboxChannel, 'id' | 'kind'> };

/** What the store holds for a channel whose secrets were made before (the same as freshSecrets made them). */
function keptSecrets(channel: SandboxChannel): ChannelSecrets {
  const { id: _id, kind: _kind, ...rest } = channel;
  if (channel.kind === 'ebay') {
    if (!channel.signingKey) throw new Error('the sandbox eBay channel has no signing key');
    const publicPem = createPublicKey(channel.signingKey.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    return { stored: { publicKeys: { [channel.signingKey.kid]: { key: publicPem, algorithm: 'ECDSA', digest: 'SHA1' } } }, channel: rest };
  }
  return { stored: channel.secret ? { webhookSecret: channel.secret } : {}, channel: rest };
}

function freshSecrets(kind: ChannelKind): ChannelSecrets {
  const hex = randomBytes(32).toString('hex');
  switch (kind) {
    case 'shopify':
      return { stored: { webhookSecret: hex }, channel: { scheme: 'shopify-hmac', secret: hex } };
    case 'loop':
      return { stored: { webhookSecret: hex }, channel: { scheme: 'loop-hmac', secret: hex } };
    case 'payments':
      return { stored: { webhookSecret: hex }, channel: { scheme: 'bearer', secret: hex } };
    case 'magento': {
      const whsec = `whsec_${randomBytes(24).toString('base64')}`;
      return { stored: { webhookSecret: whsec }, channel: { scheme: 'standard-webhooks', secret: whsec } };
    }
    case 'ebay': {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const kid = randomBytes(16).toString('hex');
      const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      return {
        stored: { publicKeys: { [kid]: { key: publicPem, algorithm: 'ECDSA', digest: 'SHA1' } } },
        channel: {
          scheme: 'ebay-ecdsa',
          signingKey: { kid, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ECDSA', digest: 'SHA1' },
        },
      };
    }
    case 'amazon':
      // Amazon notifications come through SQS/EventBridge and settlements are polled: no webhook secret.
      return { stored: {}, channel: { scheme: 'none' } };
  }
}

export interface SandboxSeed {
  channels: SandboxChannel[];
}

export async function seedSandboxTenant(
  db: Db,
  box: SecretBox,
  netsuite: { accountId: string; tba: TbaCredentials; concurrencyLimit: number },
  /** The channels (with their secrets) of an earlier start; kinds not listed get fresh secrets. */
  kept: readonly SandboxChannel[] = [],
): Promise<SandboxSeed> {
  await ensureTenant(db, { id: SANDBOX_TENANT_ID, name: 'Sandbox' });
  const connectionAad = `connection:${SANDBOX_CONNECTION_ID}`;
  const sealedCredentials = box.seal(JSON.stringify(netsuite.tba), connectionAad);
  if (await connectionsSql.getConnection(db, SANDBOX_TENANT_ID, SANDBOX_CONNECTION_ID)) {
    await connectionsSql.updateConnection(db, SANDBOX_TENANT_ID, SANDBOX_CONNECTION_ID, {
      account_id: netsuite.accountId,
      auth_kind: 'tba',
      credentials_sealed: sealedCredentials,
      concurrency_limit: netsuite.concurrencyLimit,
    });
  } else {
    await connectionsSql.insertConnection(db, {
      id: SANDBOX_CONNECTION_ID,
      tenant_id: SANDBOX_TENANT_ID,
      name: 'Local NetSuite account',
      account_id: netsuite.accountId,
      auth_kind: 'tba',
      credentials_sealed: sealedCredentials,
      concurrency_limit: netsuite.concurrencyLimit,
      restlet_script_id: 'customscript_lb_rl_api',
      restlet_deploy_id: 'customdeploy_lb_rl_api',
    });
  }

  const channels: SandboxChannel[] = [];
  for (const kind of Object.keys(SETTINGS) as ChannelKind[]) {
    const id = `sandbox-${kind}`;
    const before = kept.find((c) => c.kind === kind && c.id === id);
    const { stored, channel } = before ? keptSecrets(before) : freshSecrets(kind);
    const sealed = Object.keys(stored).length ? box.seal(JSON.stringify(stored), `channel:${id}`) : null;
    if (await channelsSql.getChannel(db, SANDBOX_TENANT_ID, id)) {
      await channelsSql.updateChannel(db, SANDBOX_TENANT_ID, id, { secrets_sealed: sealed, enabled: true });
    } else {
      const role = defaultRole(kind);
      const settings = validateSettings(kind, role, SETTINGS[kind]);
      if (!settings.ok) throw new Error(`sandbox settings for ${kind}: ${settings.error.message}`);
      await channelsSql.insertChannel(db, {
        id,
        tenant_id: SANDBOX_TENANT_ID,
        connection_id: SANDBOX_CONNECTION_ID,
        kind,
        role,
        name: `Simulated ${kind}`,
        settings: settings.value,
        secrets_sealed: sealed,
      });
    }
    channels.push({ id, kind, ...channel });
  }
  return { channels };
}
