import { z } from 'zod';
import { BASE_CHANNEL_SCHEMAS, buildChannelSchemas, validateSecrets } from '../../../middleware/tenancy/channel-kinds';
import { channelSchemasFor, FLOWS } from '../../../middleware/flows';

// The channel schemas as the middleware composes them from the registered flows.
const { validateSettings } = channelSchemasFor(FLOWS);

describe('channel settings', () => {
  it('defaults the refund direction by role: carts from NetSuite, marketplaces from the platform', () => {
    const shopify = validateSettings('shopify', 'cart', { shopDomain: 'demo-shop.myshopify.com' });
    expect(shopify).toEqual({ ok: true, value: { shopDomain: 'demo-shop.myshopify.com', refundDirection: 'netsuite_to_platform' } });
    const ebay = validateSettings('ebay', 'marketplace', {});
    expect(ebay.ok && ebay.value.refundDirection).toBe('platform_to_netsuite');
  });

  it('refuses contradictory settings: Amazon refunds cannot go NetSuite → Amazon', () => {
    const result = validateSettings('amazon', 'marketplace', { marketplaceId: 'ATVPDKIKX0DER', refundDirection: 'netsuite_to_platform' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('contradictory_settings');
  });

  it('refuses a role the kind does not take, unknown keys and bad values', () => {
    expect(validateSettings('loop', 'cart', {})).toMatchObject({ ok: false, error: { code: 'invalid_role' } });
    expect(validateSettings('shopify', 'cart', { shopDomain: 'demo-shop.myshopify.com', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
    expect(validateSettings('shopify', 'cart', { shopDomain: 'evil.example.com' })).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
  });

  it('composes the kinds\' settings from their base settings and the flows\' contributions', () => {
    const withRefunds = { shopDomain: 'demo-shop.myshopify.com', refunds: { shippingItem: 'SHIP' } };
    // Tenancy alone knows no flow's settings; the composition adds each flow's under its key.
    expect(BASE_CHANNEL_SCHEMAS.validateSettings('shopify', 'cart', withRefunds)).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
    expect(validateSettings('shopify', 'cart', withRefunds)).toMatchObject({ ok: true, value: { refunds: { shippingItem: 'SHIP' } } });
    const extra = buildChannelSchemas([{ key: 'payouts', kinds: ['amazon'], schema: z.strictObject({ every: z.enum(['day', 'week']) }) }]);
    expect(extra.validateSettings('amazon', 'marketplace', { marketplaceId: 'ATVPDKIKX0DER', payouts: { every: 'day' } }).ok).toBe(true);
    expect(extra.validateSettings('amazon', 'marketplace', { marketplaceId: 'ATVPDKIKX0DER', payouts: { every: 'hour' } }).ok).toBe(false);
    expect(extra.validateSettings('shopify', 'cart', { shopDomain: 'demo-shop.myshopify.com', payouts: { every: 'day' } }).ok).toBe(false);
    expect(() => buildChannelSchemas([{ key: 'shopDomain', kinds: ['shopify'], schema: z.string() }])).toThrow('already a shopify channel setting');
  });

  it('validates secrets per kind (magento needs a Standard Webhooks secret)', () => {
    expect(validateSecrets('shopify', { webhookSecret: 'x'.repeat(32) }).ok).toBe(true);
    expect(validateSecrets('shopify', { webhookSecret: 'short' }).ok).toBe(false);
    expect(validateSecrets('magento', { webhookSecret: 'not-whsec-secret-000' }).ok).toBe(false);
    expect(validateSecrets('magento', { webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).ok).toBe(true);
  });
});
