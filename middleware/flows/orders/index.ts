/**
 * The order import flow: storefront orders become NetSuite sales orders, fulfilled and billed (cash sale or
 * invoice), on channels whose `refunds.orderImport` is enabled; with import off the order is only noted. Either way,
 * refunds parked for the order look for it again.
 */
import { defineFlow, type FlowContext } from '../registry';
import { createOrderImportProcessor, ORDER_TOPICS } from './orders';
import { orderRoutes } from './routes';

export const ordersFlow = defineFlow<undefined>({
  name: 'orders',
  views: [{ id: 'orders.import', title: 'Import an order', shows: 'Reads one order from its platform and queues its sales order, fulfillment and bill', dataRoute: 'POST /v1/channels/:id/orders/:orderId/import' }],
  create(context: FlowContext) {
    const { db, jobs, netsuite, platforms: storefronts } = context;
    const processor = createOrderImportProcessor({ db, jobs, netsuite });
    return {
      topics: Object.fromEntries(ORDER_TOPICS.map((topic) => [topic, processor])),
      routes: orderRoutes({ db, jobs, netsuite, storefronts }),
    };
  },
});
