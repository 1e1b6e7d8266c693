/**
 * Clients of the storefront APIs for a channel, from its settings and sealed secrets. Production URLs come from
 * the channel (the Shopify shop domain, the Magento base URL); the sandbox and tests point a channel at a
 * simulator with `baseUrls`.
 *
 * eBay and Amazon take OAuth access tokens minted from the seller's refresh token (eBay's refresh-token grant,
 * Login with Amazon): one token source per channel and credentials, kept here so its cached token is shared by
 * every client made for the channel. Without refresh credentials a stored `accessToken` is used as is; channels
 * set up before this keep working with their old field (eBay `clientSecret`, Amazon `refreshToken` as the token).
 */
import { createHash } from 'node:crypto';
import type { SecretBox } from '../security/secret-box';
import type { ChannelRow } from '../store/sql/channels';
import { openChannelSecrets } from '../tenancy/tenancy-service';
import { createShopifyClient, type ShopifyClient } from '../connectors/shopify';
import { createMagentoClient, type MagentoClient } from '../connectors/magento';
import { type AccessTokenSource, createEbayClient, createEbayUserTokenSource, type EbayClient } from '../connectors/ebay';
import { createAmazonClient, createLwaTokenSource, LWA_TOKEN_PATH, LWA_TOKEN_URL, type AmazonClient } from '../connectors/amazon';

export interface StorefrontPortOptions {
  /** API base URL per channel id (simulators); default the platform's own host. */
  baseUrls?: Record<string, string>;
  /**
   * API base URL per channel kind for channels without their own (configuration: a platform's test server);
   * `magento` replaces the REST base ({baseUrl}/rest/default), `amazon` the SP-API host (and LWA at its /auth/o2/token).
   */
  kindBaseUrls?: Partial<Record<'shopify' | 'magento' | 'ebay' | 'amazon', string>>;
  timeoutMs?: number;
  /** Login with Amazon token endpoint; default Amazon's, or {base URL}/auth/o2/token for a channel pointed at a simulator. */
  lwaTokenUrl?: string;
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
  const byKind = options.kindBaseUrls ?? {};
  const timeoutMs = options.timeoutMs ?? 15_000;
  const secrets = (channel: ChannelRow) => (openChannelSecrets(deps.secretBox, channel) ?? {}) as Record<string, unknown>;
  const token = (channel: ChannelRow, name: string): string | null => {
    const value = secrets(channel)[name];
    return typeof value === 'string' && value.length > 0 ? value : null;
  };
  // One token source per channel; a change of credentials or URL (fingerprint) replaces it.
  const tokenSources = new Map<string, { fingerprint: string; source: AccessTokenSource }>();
  const tokenSource = (channelId: string, parts: string[], make: () => AccessTokenSource): AccessTokenSource => {
    const fingerprint = createHash('sha256').update(parts.join('\u0000')).digest('hex');
    const known = tokenSources.get(channelId);
    if (known?.fingerprint === fingerprint) return known.source;
    const source = make();
    tokenSources.set(channelId, { fingerprint, source });
    return source;
  };
  return {
    shopify(channel) {
      const accessToken = token(channel, 'accessToken');
      const domain = channel.settings.shopDomain;
      const baseUrl = baseUrls.get(channel.id) ?? byKind.shopify ?? (typeof domain === 'string' ? `https://${domain}` : null);
      return accessToken && baseUrl ? createShopifyClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    magento(channel) {
      const accessToken = token(channel, 'accessToken');
      const configured = channel.settings.baseUrl;
      const baseUrl = baseUrls.get(channel.id) ?? byKind.magento ?? (typeof configured === 'string' ? `${configured.replace(/\/$/, '')}/rest/default` : null);
      return accessToken && baseUrl ? createMagentoClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    ebay(channel) {
      const baseUrl = baseUrls.get(channel.id) ?? byKind.ebay ?? 'https://api.ebay.com';
      const [clientId, clientSecret, refreshToken] = [token(channel, 'clientId'), token(channel, 'clientSecret'), token(channel, 'refreshToken')];
      if (clientId && clientSecret && refreshToken) {
        const tokens = tokenSource(channel.id, ['ebay', baseUrl, clientId, clientSecret, refreshToken], () => createEbayUserTokenSource({ baseUrl, clientId, clientSecret, refreshToken, timeoutMs }));
        return createEbayClient({ baseUrl, tokens, timeoutMs });
      }
      // Older channels: a stored access token, or the client secret given as the token.
      const accessToken = token(channel, 'accessToken') ?? clientSecret;
      return accessToken ? createEbayClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    amazon(channel) {
      const override = baseUrls.get(channel.id) ?? byKind.amazon;
      const baseUrl = override ?? 'https://sellingpartnerapi-na.amazon.com';
      const clientId = token(channel, 'lwaClientId') ?? token(channel, 'clientId');
      const clientSecret = token(channel, 'lwaClientSecret') ?? token(channel, 'clientSecret');
      const refreshToken = token(channel, 'refreshToken');
      if (clientId && clientSecret && refreshToken) {
        // A simulator serves LWA on its own host; production uses Amazon's LWA host, not the SP-API one.
        const tokenUrl = options.lwaTokenUrl ?? (override ? `${override.replace(/\/+$/, '')}${LWA_TOKEN_PATH}` : LWA_TOKEN_URL);
        const tokens = tokenSource(channel.id, ['amazon', tokenUrl, clientId, clientSecret, refreshToken], () => createLwaTokenSource({ tokenUrl, clientId, clientSecret, refreshToken, timeoutMs }));
        return createAmazonClient({ baseUrl, tokens, timeoutMs });
      }
      // Older channels: a stored access token, or the refresh token given as the token.
      const accessToken = token(channel, 'accessToken') ?? refreshToken;
      return accessToken ? createAmazonClient({ baseUrl, accessToken, timeoutMs }) : null;
    },
    setBaseUrl(channelId, url) {
      baseUrls.set(channelId, url);
    },
  };
}
