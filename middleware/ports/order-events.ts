/**
 * "An order has landed": what the order import flow tells other flows once a storefront order is in NetSuite
 * (imported by us, or found through another connector's link), without knowing who listens. The refund flow
 * listens: it records the order's NetSuite link and releases refunds parked for the order. Flows receive one
 * OrderEvents through their FlowContext (composeFlows makes it).
 */
import type { ChannelRow } from '../store/sql/channels';

export interface OrderLanded {
  channel: ChannelRow;
  /** The sync record that imported (or noted) the order. */
  syncRecordId: string;
  /** True when this sync record wrote the order's records (false: they were found already in NetSuite, or not ours). */
  wrote: boolean;
  order: { orderId: string; orderNumber: string; currency: string; total: number };
  /**
   * The order's NetSuite records as the import wrote or found them; null when this channel's orders come from
   * another connector (the listeners look the sales order up through the channel's order link).
   */
  netsuite: { salesOrderId: string; billingType: 'cash_sale' | 'invoice' | null; billingId: string | null } | null;
}

export type OrderLandedListener = (event: OrderLanded) => Promise<void>;

export interface OrderEvents {
  onOrderLanded(listener: OrderLandedListener): void;
  /** Runs every listener in registration order; a listener's error stops the chain and reaches the caller. */
  orderLanded(event: OrderLanded): Promise<void>;
}

export function createOrderEvents(): OrderEvents {
  const listeners: OrderLandedListener[] = [];
  return {
    onOrderLanded(listener) {
      listeners.push(listener);
    },
    async orderLanded(event) {
      for (const listener of listeners) await listener(event);
    },
  };
}
