/**
 * Partner routes of the refund flow (/v1): lookup by platform id, retrieve an order's refunds, "why didn't this
 * sync?". Cancel and un-cancel of a syncing refund are the sync-record actions (/v1/sync-records/:id/cancel,
 * /uncancel), which the lookup answer points to with its syncRecordId.
 */
import { z } from 'zod';
import { defineRoute, type BoundRoute } from '../../http/routes/v1/define-route';
import { asHttp, channelOrderParams, platformId } from '../../http/routes/v1/flow-routes';
import { lookupByPlatformId, retrieveOrderRefunds, whyNot, type OperationsDeps } from './operations';

const netsuiteRef = z.object({ kind: z.string(), id: z.string(), externalId: z.string().nullable(), amount: z.number(), created: z.boolean() });
const lookupMatch = z.object({
  kind: z.enum(['refund', 'order']),
  channelId: z.string(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  platformId: z.string(),
  orderId: z.string().nullable(),
  state: z.string().nullable(),
  stateCode: z.string().nullable(),
  stateMessage: z.string().nullable(),
  syncRecordId: z.string().nullable(),
  netsuite: z.object({
    recordType: z.string().nullable(),
    internalId: z.string().nullable(),
    total: z.string().nullable(),
    currency: z.string().nullable(),
    records: z.array(netsuiteRef),
  }),
  history: z.array(z.object({ from: z.string().nullable(), to: z.string(), code: z.string().nullable(), message: z.string().nullable(), at: z.string() })),
});

const fixAction = z.object({ method: z.enum(['POST', 'PATCH']), path: z.string(), body: z.record(z.string(), z.unknown()).optional(), label: z.string() });
const check = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'unknown', 'not_applicable', 'in_progress']),
  detail: z.string(),
  fix: z.string().nullable(),
  actions: z.array(fixAction).optional(),
  syncRecordId: z.string().optional(),
});

export function refundRoutes(deps: OperationsDeps): BoundRoute[] {
  return [
    defineRoute(
      {
        method: 'get',
        path: '/v1/lookup/:platformId',
        summary: 'Find orders and refunds by platform id (storefront order or refund id, or NetSuite internal id): state, history, NetSuite record and total',
        scope: 'sync:read',
        params: z.strictObject({ platformId }),
        query: z.strictObject({ channelId: z.string().min(1).max(100).optional() }),
        response: z.object({ items: z.array(lookupMatch) }),
        status: 200,
        examples: {
          response: {
            items: [
              {
                kind: 'refund',
                channelId: '3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c',
                direction: 'inbound',
                platformId: '509562969',
                orderId: '450789469',
                state: 'posted',
                stateCode: null,
                stateMessage: null,
                syncRecordId: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f',
                netsuite: { recordType: 'cashrefund', internalId: '8812', total: '41.94', currency: 'USD', records: [{ kind: 'cashrefund', id: '8812', externalId: 'shopify:demo-shop.myshopify.com:refund:509562969', amount: 41.94, created: true }] },
                history: [{ from: 'posting', to: 'posted', code: null, message: null, at: '2026-01-15T10:00:02.000Z' }],
              },
            ],
          },
        },
      },
      async ({ tenantId, params, query }) => ({ items: await lookupByPlatformId(deps.db, tenantId, params.platformId, query.channelId) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/v1/channels/:id/orders/:orderId/retrieve-refunds',
        summary: "Retrieve by order id: import one order's refunds now (409 order_not_synced when the order never reached NetSuite)",
        scope: 'sync:write',
        params: channelOrderParams,
        response: z.object({
          orderId: z.string(),
          netsuiteSalesOrderId: z.string(),
          refunds: z.array(z.object({ refundId: z.string(), outcome: z.enum(['queued', 'already_known']), syncRecordId: z.string().nullable() })),
          unreadable: z.array(z.object({ code: z.string(), explanation: z.string() })),
        }),
        status: 200,
        examples: {
          response: {
            orderId: '450789469',
            netsuiteSalesOrderId: '7101',
            refunds: [{ refundId: '509562969', outcome: 'queued', syncRecordId: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f' }],
            unreadable: [],
          },
        },
      },
      async ({ tenantId, params }) => retrieveOrderRefunds(deps, tenantId, params.id, params.orderId).catch(asHttp),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/v1/channels/:id/orders/:orderId/why-not',
        summary:
          "Why didn't this sync? The refund's own sync records first (failed, parked, cancelled, skipped, posted), else every prerequisite with facts read now; names what to fix and the API calls that do it",
        scope: 'sync:read',
        params: channelOrderParams,
        query: z.strictObject({ refundId: platformId.optional() }),
        response: z.object({ basis: z.enum(['sync_records', 'prerequisites']), ready: z.boolean(), firstFailure: z.string().nullable(), checks: z.array(check), facts: z.record(z.string(), z.unknown()) }),
        status: 200,
        examples: {
          response: {
            basis: 'sync_records',
            ready: false,
            firstFailure: 'sync_record',
            checks: [
              {
                id: 'sync_record',
                title: 'Sync record 5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f (refunds/create)',
                status: 'fail',
                detail: 'Failed 2 hours ago with invalid_payload: Shopify refunds/create webhook: transactions: expected array',
                fix:
                  'The stored shopify payload cannot be read as a refund, and a retry reads the same payload again. Correct the refund on shopify (a new delivery or a retrieve by order id makes a new sync record), record it in NetSuite by hand, or cancel this record once it is dealt with.',
                actions: [{ method: 'POST', path: '/v1/sync-records/5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f/cancel', label: 'cancel this sync record' }],
                syncRecordId: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f',
              },
            ],
            facts: { platform: 'shopify', account: 'demo-shop.myshopify.com', direction: 'platform_to_netsuite' },
          },
        },
      },
      async ({ tenantId, params, query }) =>
        whyNot(deps, tenantId, params.id, { orderId: params.orderId, ...(query.refundId ? { refundId: query.refundId } : {}) })
          .then((answer) => ({ ...answer, facts: answer.facts as unknown as Record<string, unknown> }))
          .catch(asHttp),
    ),
  ];
}
