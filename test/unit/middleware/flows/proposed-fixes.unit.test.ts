/**
 * Every refund direction that why-not or a settings error proposes is a value the channel API accepts: each
 * proposal is fed through the composed channel settings schema of its kind (validateSettings, what POST/PATCH
 * /v1/channels apply). Every action why-not attaches to a fix is a call the API accepts: a sync-record action is a
 * move the sync-record lifecycle allows from the record's state, and a channel patch, merged into the channel's
 * settings as PATCH /v1/channels/:id merges it (RFC 7396), passes the kind's schema.
 */
import { explainWhyNotSynced, REFUND_DIRECTIONS, resolveRefundSettings, type FixAction, type RefundDirection, type RefundSyncRecordFact } from '../../../../core/refunds';
import { applyMergePatch } from '../../../../middleware/tenancy/merge-patch';
import { SYNC_STATES, transition, type SyncEvent, type SyncState } from '../../../../middleware/sync/sync-states';
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

const CHANNEL_ID = 'ch-1';
const RECORD_ID = 'sr-1';
/** Failure codes the refund flow records, and one it does not know (the generic fix). */
const CODES = [
  'invalid_payload', 'invalid_refund', 'event_missing', 'direction_not_inbound', 'order_never_synced', 'netsuite_order_deleted',
  'nothing_to_refund_against', 'deposit_insufficient', 'currency_mismatch', 'unknown_sku', 'missing_adjustment_item',
  'ebay_refund_unreadable', 'ebay_reauthorization_required', 'order_not_synced', 'netsuite_error', 'not_a_known_code', null,
];

/** Whether the API takes this action for a record in `state` on a `kind` channel; the reason when it does not. */
function refusal(kind: keyof typeof CHANNELS, direction: RefundDirection, state: SyncState, action: FixAction): string | null {
  const record = /^\/v1\/sync-records\/([^/]+)\/(retry|cancel|uncancel)$/.exec(action.path);
  if (record) {
    if (action.method !== 'POST' || record[1] !== RECORD_ID) return 'not the record asked about, or not a POST';
    const moved = transition(state, record[2] as SyncEvent);
    return moved.ok ? null : moved.error.message;
  }
  if (action.path === `/v1/channels/${CHANNEL_ID}` && action.method === 'PATCH') {
    const { role, settings } = CHANNELS[kind];
    const patch = (action.body as { settings?: unknown } | undefined)?.settings;
    if (patch === undefined) return 'a channel patch without settings';
    const merged = applyMergePatch({ ...settings, refundDirection: direction }, patch);
    const result = validateSettings(kind as ChannelKind, role, merged);
    return result.ok ? null : result.error.message;
  }
  return `no such partner route: ${action.method} ${action.path}`;
}

test('every action why-not attaches to a fix, from sync records or from prerequisites, is one the API accepts', () => {
  let actions = 0;
  const seen = new Set<string>();
  for (const platform of KINDS) {
    for (const direction of REFUND_DIRECTIONS) {
      for (const state of SYNC_STATES) {
        for (const code of CODES) {
          const record: RefundSyncRecordFact = { id: RECORD_ID, topic: 'refunds/create', state, code, message: 'as recorded', ageHours: 2, refundId: '1' };
          const answer = explainWhyNotSynced({ platform, account: ACCOUNT, direction, origin: 'storefront', channelId: CHANNEL_ID, records: [record] });
          expect(answer.basis).toBe('sync_records');
          for (const check of answer.checks) {
            for (const value of proposedValues(check.fix ?? '')) expectAccepted(platform, value, check.fix as string);
            for (const action of check.actions ?? []) {
              actions += 1;
              seen.add(action.path.replace(RECORD_ID, ':id').replace(CHANNEL_ID, ':id'));
              const why = refusal(platform, direction, state, action);
              if (why) throw new Error(`${platform} ${state} ${code}: "${action.label}" (${action.method} ${action.path}) is refused: ${why}`);
            }
          }
        }
      }
      for (const origin of ['storefront', 'netsuite'] as const) {
        const answer = explainWhyNotSynced({ platform, account: ACCOUNT, direction, origin, channelId: CHANNEL_ID, refundState: 'settled', orderSynced: true, netsuiteOrder: 'exists' });
        for (const check of answer.checks) {
          for (const action of check.actions ?? []) {
            actions += 1;
            seen.add(action.path.replace(CHANNEL_ID, ':id'));
            const why = refusal(platform, direction, 'failed', action);
            if (why) throw new Error(`${platform} ${direction} ${origin}: "${action.label}" is refused: ${why}`);
          }
        }
      }
    }
  }
  // Each kind of action is proposed somewhere, so the checks above ran on all of them.
  expect([...seen].sort()).toEqual(['/v1/channels/:id', '/v1/sync-records/:id/cancel', '/v1/sync-records/:id/retry', '/v1/sync-records/:id/uncancel']);
  expect(actions).toBeGreaterThan(0);
});
