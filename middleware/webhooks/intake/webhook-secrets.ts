/** Turns a channel's opened secrets into what the verifier for its kind takes. */
import type { ChannelKind } from '../../tenancy/channel-kinds';
import type { ChannelSecrets } from '../../tenancy/channel-kinds';
import type { EbayKeySource, WebhookSecrets } from '../verify';

export function webhookSecretsFor(kind: ChannelKind, secrets: ChannelSecrets | undefined): WebhookSecrets {
  if (!secrets) return undefined;
  if (kind === 'ebay') {
    const keys = secrets.publicKeys;
    if (!keys || Object.keys(keys).length === 0) return undefined;
    // Keys stored on the channel (copied from eBay's getPublicKey answers). A fetching, caching key source replaces
    // this when the eBay connector lands.
    const source: EbayKeySource = { getPublicKey: async (kid) => (Object.hasOwn(keys, kid) ? (keys[kid] ?? null) : null) };
    return source;
  }
  const list = [secrets.webhookSecret, ...(secrets.previousWebhookSecrets ?? [])].filter((s): s is string => typeof s === 'string');
  return list.length > 0 ? list : undefined;
}
