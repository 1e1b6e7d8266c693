/**
 * Every refund direction that why-not or a settings error proposes is a value the channel API accepts: each
 * proposal is fed through the composed channel settings schema of its kind (validateSettings, what POST/PATCH
 * /v1/channels apply).
 */
import { explainWhyNotSynced, REFUND_DIRECTIONS, resolveRefundSettings, type RefundDirection } from '../../../../core/refunds';
import type { ChannelKind, ChannelRole } from '../../../../middleware/tenancy/channel-kinds';
import { channelSchemasFor, FLOWS } from '../../../../middleware/flows';

// The channel settings schemas as the middleware composes them from the registered flows.
const { validateSettings } = channelSchemasFor(FLOWS);

const ACCOUNT = 'acct-1';
const CHANNELS: Record<'shopify' | 'magento' | 'amazon' | 'ebay', { role: ChannelRole; settings: Record<string, unknown> }> = {
  shopify: { role: 'cart', settings: { shopDomain: 'demo-shop.myshopify.com' } },
  magento: { role: 'cart', settings: { baseUrl: 'https://magento.example.test' } },
  amazon: { role: 'marketplace', settings: { marketplaceId: 'ATVPDKIKX0DER' } },
  ebay: { role: 'marketplace', settings: {} },
};
const KINDS = Object.keys(CHANNELS) as Array<keyof typeof CHANNELS>;

/** The quoted values a text proposes (the account's own name is not a proposal). */
function proposedValues(text: string): string[] {
  return [...text.matchAll(/'([a-z_]+)'/g)].map((m) => m[1] as string).filter((v) => v !== ACCOUNT);
}

function expectAccepted(kind: keyof typeof CHANNELS, value: string, from: string): void {
  const { role, settings } = CHANNELS[kind];
  const result = validateSettings(kind as ChannelKind, role, { ...settings, refundDirection: value });
  if (!result.ok) throw new Error(`${kind}: "${from}" proposes '${value}', which the channel API refuses: ${result.error.message}`);
  expect(result.value.refundDirection).toBe(value);
}

test('every direction why-not proposes as a fix is accepted by the channel settings schema', () => {
  let proposals = 0;
  for (const platform of KINDS) {
    for (const direction of REFUND_DIRECTIONS) {
      for (const origin of ['storefront', 'netsuite'] as const) {
        const answer = explainWhyNotSynced({ platform, account: ACCOUNT, direction, origin, refundState: 'settled', orderSynced: true, netsuiteOrder: 'exists' });
        for (const check of answer.checks) {
          for (const value of proposedValues(check.fix ?? '')) {
            proposals += 1;
            expectAccepted(platform, value, check.fix as string);
          }
        }
      }
    }
  }
  // The test proves something: why-not does propose directions (a cart refund made on the platform, and so on).
  expect(proposals).toBeGreaterThan(0);
});

test('every direction a refund settings error proposes is accepted by the channel settings schema', () => {
  const messages: Array<{ kind: keyof typeof CHANNELS; text: string }> = [];
  for (const platform of KINDS) {
    for (const direction of REFUND_DIRECTIONS) {
      const core = resolveRefundSettings({ platform, account: ACCOUNT, direction });
      if (!core.ok) messages.push({ kind: platform, text: core.error.message });
      const { role, settings } = CHANNELS[platform];
      const api = validateSettings(platform, role, { ...settings, refundDirection: direction });
      if (!api.ok) messages.push({ kind: platform, text: api.error.message });
    }
  }
  expect(messages.length).toBeGreaterThan(0); // Amazon refuses netsuite_to_platform and says what to set instead.
  for (const { kind, text } of messages) {
    const proposal = text.slice(text.indexOf('Set '));
    const values = proposedValues(proposal);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expectAccepted(kind, value, text);
  }
});

test('the channel API and core/refunds share one direction vocabulary', () => {
  const names: readonly RefundDirection[] = ['platform_to_netsuite', 'netsuite_to_platform', 'off'];
  expect(REFUND_DIRECTIONS).toEqual(names);
  expect(validateSettings('shopify', 'cart', { ...CHANNELS.shopify.settings, refundDirection: 'storefront_to_netsuite' })).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
});
