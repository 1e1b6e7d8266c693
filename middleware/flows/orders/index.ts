/**
 * The order import flow: storefront orders become NetSuite sales orders, fulfilled and billed (cash sale or
 * invoice) once paid, on channels whose `refunds.orderImport` is enabled; other channels' orders come from another
 * connector and their records end skipped. Either way, other flows hear that the order landed (OrderEvents).
 */
import { defineFlow, type FlowContext } from '../registry';
import { createOrderEvents } from '../../ports/order-events';
import { createOrderImportProcessor, ORDER_TOPICS } from './orders';
import { orderRoutes } from './routes';

export const ordersFlow = defineFlow<undefined>({
  name: 'orders',
  views: [{ id: 'orders.import', title: 'Import an order', shows: 'Reads one order from its platform and queues its sales order, fulfillment and bill', dataRoute: 'POST /v1/channels/:id/orders/:orderId/import' }],
  create(context: FlowContext) {
    const { db, jobs, netsuite, platforms: storefronts } = context;
    const processor = createOrderImportProcessor({ db, netsuite, events: context.orderEvents ?? createOrderEvents() });
    return {
      topics: Object.fromEntries(ORDER_TOPICS.map((topic) => [topic, processor])),
      routes: orderRoutes({ db, jobs, storefronts }),
    };
  },
});
