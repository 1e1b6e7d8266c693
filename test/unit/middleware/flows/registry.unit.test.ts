import { z } from 'zod';
import { FLOWS } from '../../../../middleware/flows';
import { channelSchemasFor, checkFlowSettings, composeFlows, defineFlow, FlowCompositionError, type FlowContext } from '../../../../middleware/flows/registry';
import { defineRoute } from '../../../../middleware/http/routes/v1/define-route';
import { BASE_CHANNEL_SCHEMAS } from '../../../../middleware/tenancy/channel-kinds';
import { refundFlowSettingsSchema } from '../../../../middleware/flows/refunds/settings';
import type { ProcessContext, SyncProcessor } from '../../../../middleware/sync/sync-worker';

// composeFlows only hands the context to each flow's create(); these flows use none of it.
const context = {} as FlowContext;
const posted: SyncProcessor = async () => ({ kind: 'posted' });
const route = (path: string) => defineRoute({ method: 'get', path, summary: 's', scope: 'sync:read', response: z.object({}), status: 200 }, async () => ({}));
const record = (topic: string) => ({ record: { topic, id: 'r1' } }) as unknown as ProcessContext;

test('two flows declaring the same topic are refused at composition, naming both', () => {
  const a = defineFlow({ name: 'a', create: () => ({ topics: { 'payments/create': posted } }) });
  const b = defineFlow({ name: 'b', create: () => ({ topics: { 'payments/create': posted } }) });
  expect(() => composeFlows([a, b], context)).toThrow(FlowCompositionError);
  expect(() => composeFlows([a, b], context)).toThrow('Flows "a" and "b" both declare the topic payments/create');
});

test('two flows declaring the same route are refused at composition', () => {
  const a = defineFlow({ name: 'a', create: () => ({ topics: {}, routes: [route('/v1/x/:id')] }) });
  const b = defineFlow({ name: 'b', create: () => ({ topics: {}, routes: [route('/v1/x/:id')] }) });
  expect(() => composeFlows([a, b], context)).toThrow('Flows "a" and "b" both declare the route GET /v1/x/:id');
});

test('the composed processor dispatches by topic across flows and parks a topic no flow owns', async () => {
  const a = defineFlow({ name: 'a', create: () => ({ topics: { 'a/one': posted } }) });
  const b = defineFlow({ name: 'b', create: () => ({ topics: { 'b/one': async () => ({ kind: 'failed', code: 'b', message: 'b', retryable: false }) } }) });
  const composed = composeFlows([a, b], context);
  expect(await composed.processor(record('a/one'))).toEqual({ kind: 'posted' });
  expect(await composed.processor(record('b/one'))).toMatchObject({ kind: 'failed', code: 'b' });
  expect(await composed.processor(record('nobody/owns'))).toMatchObject({ kind: 'parked', code: 'no_processor' });
});

test("the refund flow's settings schema, kept in its folder, is composed into each storefront kind's channel settings under `refunds`", () => {
  const refunds = FLOWS.find((f) => f.name === 'refunds');
  expect(refunds?.settings?.schema).toBe(refundFlowSettingsSchema);
  expect(refunds?.settings?.kinds).toEqual(['shopify', 'magento', 'amazon', 'ebay']);
  const schemas = channelSchemasFor(FLOWS);
  for (const kind of refunds?.settings?.kinds ?? []) {
    expect((schemas.settings[kind].shape as Record<string, z.ZodOptional<z.ZodType>>).refunds?.unwrap()).toBe(refundFlowSettingsSchema);
  }
  expect(schemas.settings.loop.shape).not.toHaveProperty('refunds');
  expect(() => checkFlowSettings(FLOWS)).not.toThrow();
  expect(composeFlows(FLOWS, context).channelSchemas.settings.shopify.shape).toHaveProperty('refunds');
  // And the channel API applies it: a refunds setting the flow's schema refuses is refused for the channel.
  expect(schemas.validateSettings('shopify', 'cart', { shopDomain: 'a.myshopify.com', refunds: { parkedMaxAgeHours: -1 } })).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
  expect(schemas.validateSettings('shopify', 'cart', { shopDomain: 'a.myshopify.com', refunds: { parkedMaxAgeHours: 5 } })).toMatchObject({ ok: true });
});

test("a new flow's settings need only its definition: composition adds them to the kinds it names", () => {
  const payouts = z.strictObject({ every: z.enum(['day', 'week']) });
  const flow = defineFlow({ name: 'payouts', settings: { key: 'payouts', kinds: ['amazon'], schema: payouts }, create: () => ({ topics: {} }) });
  const schemas = composeFlows([...FLOWS, flow], context).channelSchemas;
  expect((schemas.settings.amazon.shape as Record<string, z.ZodOptional<z.ZodType>>).payouts?.unwrap()).toBe(payouts);
  expect(schemas.validateSettings('amazon', 'marketplace', { marketplaceId: 'ATVPDKIKX0DER', payouts: { every: 'week' } })).toMatchObject({ ok: true });
  expect(schemas.validateSettings('amazon', 'marketplace', { marketplaceId: 'ATVPDKIKX0DER', payouts: { every: 'year' } })).toMatchObject({ ok: false, error: { code: 'invalid_settings' } });
});

test('a flow whose settings schema the channel kind does not hold is refused', () => {
  const stray = defineFlow({ name: 'stray', settings: { key: 'refunds', kinds: ['shopify'], schema: z.strictObject({}) }, create: () => ({ topics: {} }) });
  expect(() => checkFlowSettings([stray], BASE_CHANNEL_SCHEMAS.settings)).toThrow('Flow "stray": the shopify channel settings do not hold its settings schema under "refunds".');
  expect(() => checkFlowSettings([...FLOWS, stray])).toThrow('Flows "refunds" and "stray" both declare the settings key refunds');
  const clash = defineFlow({ name: 'clash', settings: { key: 'shopDomain', kinds: ['shopify'], schema: z.string() }, create: () => ({ topics: {} }) });
  expect(() => composeFlows([clash], context)).toThrow('Flow "clash": "shopDomain" is already a shopify channel setting');
});

test('the registered flows compose without clashes and own the order and refund topics', () => {
  const composed = composeFlows(FLOWS, context);
  expect(Object.fromEntries(composed.topics)).toEqual({
    'refunds/create': 'refunds',
    'ledgerbridge/refund.import': 'refunds',
    'ledgerbridge/refund.unreadable': 'refunds',
    'ledgerbridge/netsuite.refund': 'refunds',
    'orders/create': 'orders',
    'orders/paid': 'orders',
    'ledgerbridge/order.import': 'orders',
  });
  expect(composed.routes.map((r) => `${r.spec.method} ${r.spec.path}`)).toContain('post /v1/channels/:id/orders/:orderId/import');
});
