/**
 * Clients of the storefront APIs for a channel, from its settings and sealed secrets. Production URLs come from
 * the channel (the Shopify shop domain, the Magento base URL); the sandbox and tests point a channel at a
 * simulator with `baseUrls`.
 */
import type { SecretBox } from '../../security/secret-box';
import type { ChannelRow } from '../../store/sql/channels';
import { openChannelSecrets } from '../../tenancy/tenancy-service';
import { createShopifyClient, type ShopifyClient } from '../../connectors/shopify';
import { createMagentoClient, type MagentoClient } from '../../connectors/magento';
import { createEbayClient, type EbayClient } from '../../connectors/ebay';
import { createAmazonClient, type AmazonClient } from '../../connectors/amazon';

export interface StorefrontPortOptions {
  /** API base URL per channel id (simulators); default the platform's own host. */
  baseUrls?: Record<string, string>;
  timeoutMs?: number;
}

export interface StorefrontPort {
  shopify(channel: ChannelRow): ShopifyClient | null;
  magento(channel: ChannelRow): MagentoClient | null;
  ebay(channel: ChannelRow): EbayClient | null;
  amazon(channel: ChannelRow): AmazonClient | null;
  /** Points a channel at another base URL (the sandbox wires its simulators after start). */
  setBaseUrl(channelId: string, url: string): void;
}

export function createStorefrontPort(deps: { secretBox: SecretBox }, options: StorefrontPortOptions = {}): StorefrontPort {
  const baseUrls = new Map(Object.entries(options.baseUrls ?? {}));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const secrets = (channel: ChannelRow) => (openChannelSecrets(deps.secretBox, channel) ?? {}) as Record<string, unknown>;
  const token = (channel: ChannelRow, name: string): string | null => {
    const value = secrets(channel)[name];
    return typeof value === 'string' && value.length > 0 ? value : null;
  };
  return {
    shopify(channel) {
      const accessToken = token(channel, 'accessToken');
      const domain = channel.settings.shopDomain;
      const baseUrl = baseUrls.get(channel.id) ?? (typeof domain === 'string' ? `https://${domain}` : null);
      return accessToken && baseUrl ? createShopifyClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    magento(channel) {
      const accessToken = token(channel, 'accessToken');
      const configured = channel.settings.baseUrl;
      const baseUrl = baseUrls.get(channel.id) ?? (typeof configured === 'string' ? `${configured.replace(/\/$/, '')}/rest/default` : null);
      return accessToken && baseUrl ? createMagentoClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    ebay(channel) {
      const accessToken = token(channel, 'accessToken') ?? token(channel, 'clientSecret');
      const baseUrl = baseUrls.get(channel.id) ?? 'https://api.ebay.com';
      return accessToken ? createEbayClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    amazon(channel) {
      const accessToken = token(channel, 'accessToken') ?? token(channel, 'refreshToken');
      const baseUrl = baseUrls.get(channel.id) ?? 'https://sellingpartnerapi-na.amazon.com';
      return accessToken ? createAmazonClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    setBaseUrl(channelId, url) {
      baseUrls.set(channelId, url);
    },
  };
}
