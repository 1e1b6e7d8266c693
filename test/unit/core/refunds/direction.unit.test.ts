import {
  defaultDirection,
  resolveRefundSettings,
  shouldSync,
  supportsDirection,
  validateRefundSettings,
} from '../../../../core/refunds';

describe('refund direction defaults', () => {
  it('marketplaces sync storefront -> NetSuite, carts NetSuite -> storefront', () => {
    expect(defaultDirection('amazon')).toBe('platform_to_netsuite');
    expect(defaultDirection('ebay')).toBe('platform_to_netsuite');
    expect(defaultDirection('shopify')).toBe('netsuite_to_platform');
    expect(defaultDirection('magento')).toBe('netsuite_to_platform');
  });

  it('applies the default when nothing is stated', () => {
    const r = resolveRefundSettings({ platform: 'shopify', account: 's1' });
    expect(r).toEqual({ ok: true, value: { platform: 'shopify', account: 's1', direction: 'netsuite_to_platform' } });
  });

  it('lets either default be changed', () => {
    const shopify = resolveRefundSettings({ platform: 'shopify', account: 's1', direction: 'platform_to_netsuite' });
    expect(shopify.ok && shopify.value.direction).toBe('platform_to_netsuite');
    const ebay = resolveRefundSettings({ platform: 'ebay', account: 'seller', direction: 'netsuite_to_platform' });
    expect(ebay.ok && ebay.value.direction).toBe('netsuite_to_platform');
    const amazonOff = resolveRefundSettings({ platform: 'amazon', account: 'A1', direction: 'off' });
    expect(amazonOff.ok && amazonOff.value.direction).toBe('off');
    const bySwitch = resolveRefundSettings({ platform: 'magento', account: 'm', importStorefrontRefunds: true });
    expect(bySwitch.ok && bySwitch.value.direction).toBe('platform_to_netsuite');
    const bothOff = resolveRefundSettings({ platform: 'magento', account: 'm', importStorefrontRefunds: false, exportNetSuiteRefunds: false });
    expect(bothOff.ok && bothOff.value.direction).toBe('off');
  });
});

describe('refusals', () => {
  it('refuses both directions on one account with direction_conflict', () => {
    const r = resolveRefundSettings({ platform: 'shopify', account: 's1', importStorefrontRefunds: true, exportNetSuiteRefunds: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('direction_conflict');
      expect(r.error.message).toMatch(/both ways/);
    }
  });

  it('refuses a direction that contradicts the switches', () => {
    const r = resolveRefundSettings({ platform: 'ebay', account: 'e', direction: 'platform_to_netsuite', exportNetSuiteRefunds: true });
    expect(!r.ok && r.error.code).toBe('direction_conflict');
  });

  it('refuses NetSuite -> Amazon because Amazon has no seller refund API', () => {
    for (const input of [
      { platform: 'amazon', account: 'A1', direction: 'netsuite_to_platform' },
      { platform: 'amazon', account: 'A1', exportNetSuiteRefunds: true },
    ]) {
      const r = resolveRefundSettings(input);
      expect(!r.ok && r.error.code).toBe('direction_unsupported');
      expect(!r.ok && r.error.message).toMatch(/Seller Central/);
    }
    expect(supportsDirection('amazon', 'netsuite_to_platform')).toBe(false);
    expect(supportsDirection('ebay', 'netsuite_to_platform')).toBe(true);
  });

  it('refuses unknown platforms and directions', () => {
    const p = resolveRefundSettings({ platform: 'etsy', account: 'x' });
    expect(!p.ok && p.error.code).toBe('unknown_platform');
    const d = resolveRefundSettings({ platform: 'shopify', account: 'x', direction: 'both' });
    expect(!d.ok && d.error.code).toBe('invalid_direction');
  });

  it('refuses one account listed twice with different directions, and names where', () => {
    const r = validateRefundSettings([
      { platform: 'shopify', account: 'a' },
      { platform: 'shopify', account: 'b', direction: 'off' },
      { platform: 'shopify', account: 'a', direction: 'platform_to_netsuite' },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'direction_conflict', path: 'accounts[2]' });
  });

  it('accepts a consistent set and reports the path of the first bad entry', () => {
    const good = validateRefundSettings([
      { platform: 'shopify', account: 'a' },
      { platform: 'amazon', account: 'a' },
      { platform: 'shopify', account: 'a', direction: 'netsuite_to_platform' },
    ]);
    expect(good.ok && good.value.map((s) => `${s.platform}:${s.direction}`)).toEqual([
      'shopify:netsuite_to_platform',
      'amazon:platform_to_netsuite',
    ]);
    const bad = validateRefundSettings([{ platform: 'shopify', account: 'a' }, { platform: 'amazon', account: 'z', direction: 'netsuite_to_platform' }]);
    expect(!bad.ok && bad.error.path).toBe('accounts[1].direction');
  });
});

describe('shouldSync', () => {
  it('syncs only the configured side', () => {
    expect(shouldSync('platform_to_netsuite', 'storefront')).toBe(true);
    expect(shouldSync('platform_to_netsuite', 'netsuite')).toBe(false);
    expect(shouldSync('netsuite_to_platform', 'netsuite')).toBe(true);
    expect(shouldSync('netsuite_to_platform', 'storefront')).toBe(false);
    expect(shouldSync('off', 'storefront')).toBe(false);
    expect(shouldSync('off', 'netsuite')).toBe(false);
  });
});
