import { composeFlows, defineFlow, type FlowContext } from '../../../../middleware/flows/registry';
import type { OrderLanded } from '../../../../middleware/ports/order-events';
import type { ChannelRow } from '../../../../middleware/store/sql/channels';

const context = {} as FlowContext;
const landed: OrderLanded = {
  channel: { id: 'ch1', tenant_id: 't1' } as ChannelRow,
  syncRecordId: 'r1',
  wrote: true,
  order: { orderId: '820982911946154500', orderNumber: '#9999', currency: 'USD', total: 40495 },
  netsuite: { salesOrderId: '43', billingType: 'cash_sale', billingId: '45' },
};

test('composeFlows gives every flow one OrderEvents: what one flow tells, another hears, in registration order', async () => {
  const heard: string[] = [];
  let tell: ((e: OrderLanded) => Promise<void>) | undefined;
  const listener = defineFlow({
    name: 'listener',
    create: (ctx) => {
      ctx.orderEvents?.onOrderLanded(async (e) => void heard.push(`first:${e.order.orderId}`));
      ctx.orderEvents?.onOrderLanded(async (e) => void heard.push(`second:${e.netsuite?.salesOrderId}`));
      return { topics: {} };
    },
  });
  const teller = defineFlow({
    name: 'teller',
    create: (ctx) => {
      tell = (e) => ctx.orderEvents?.orderLanded(e) ?? Promise.reject(new Error('no OrderEvents in the context'));
      return { topics: {} };
    },
  });
  composeFlows([listener, teller], context);
  await tell?.(landed);
  expect(heard).toEqual(['first:820982911946154500', 'second:43']);
});

test("a listener's error reaches the flow that told (the order import fails rather than losing the link)", async () => {
  let tell: ((e: OrderLanded) => Promise<void>) | undefined;
  const failing = defineFlow({
    name: 'failing',
    create: (ctx) => {
      ctx.orderEvents?.onOrderLanded(async () => {
        throw new Error('store unavailable');
      });
      tell = (e) => ctx.orderEvents?.orderLanded(e) ?? Promise.resolve();
      return { topics: {} };
    },
  });
  composeFlows([failing], context);
  await expect(tell?.(landed)).rejects.toThrow('store unavailable');
});
