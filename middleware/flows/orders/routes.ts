/** Partner route of the order import flow (/v1): import one order now. */
import { z } from 'zod';
import { defineRoute, type BoundRoute } from '../../http/routes/v1/define-route';
import { asHttp, channelOrderParams } from '../../http/routes/v1/flow-routes';
import { importOrderNow, type OrderOperationsDeps } from './operations';

export function orderRoutes(deps: OrderOperationsDeps): BoundRoute[] {
  return [
    defineRoute(
      {
        method: 'post',
        path: '/v1/channels/:id/orders/:orderId/import',
        summary: 'Import one order now: read it from its platform and queue its sales order, fulfillment and bill (409 order_import_disabled when the channel does not import orders)',
        scope: 'sync:write',
        params: channelOrderParams,
        response: z.object({ orderId: z.string(), outcome: z.enum(['queued', 'already_known']), syncRecordId: z.string().nullable() }),
        status: 202,
        examples: { response: { orderId: '450789469', outcome: 'queued', syncRecordId: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f' } },
      },
      async ({ tenantId, params }) => importOrderNow(deps, tenantId, params.id, params.orderId).catch(asHttp),
    ),
  ];
}
