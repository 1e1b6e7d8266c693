/** Turns a channel's opened secrets into what the verifier for its kind takes. */
import type { ChannelKind } from '../../tenancy/channel-kinds';
import type { ChannelSecrets } from '../../tenancy/channel-kinds';
import type { EbayKeySource, WebhookSecrets } from '../verify';

/**
 * `ebayKeySource` (eBay's getPublicKey through a cache, middleware/webhooks/ebay-keys) serves eBay channels that
 * store no keys of their own; keys stored on a channel pin it to exactly those keys. Neither → undefined (refused).
 * `channelId` scopes the key source's budget of calls to eBay to this channel.
 */
export function webhookSecretsFor(kind: ChannelKind, secrets: ChannelSecrets | undefined, ebayKeySource?: EbayKeySource, channelId?: string): WebhookSecrets {
  if (kind === 'ebay') {
    const keys = secrets?.publicKeys;
    if (!keys || Object.keys(keys).length === 0) {
      if (!ebayKeySource || channelId === undefined) return ebayKeySource;
      const scoped: EbayKeySource = { getPublicKey: (kid) => ebayKeySource.getPublicKey(kid, channelId) };
      return scoped;
    }
    // Keys stored on the channel (copied from eBay's getPublicKey answers).
    const source: EbayKeySource = { getPublicKey: async (kid) => (Object.hasOwn(keys, kid) ? (keys[kid] ?? null) : null) };
    return source;
  }
  if (!secrets) return undefined;
  const list = [secrets.webhookSecret, ...(secrets.previousWebhookSecrets ?? [])].filter((s): s is string => typeof s === 'string');
  return list.length > 0 ? list : undefined;
}
