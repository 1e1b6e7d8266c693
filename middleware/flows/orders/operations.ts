/** Operations on the order import flow a person asks for through the partner API: import one order now. */
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import { FlowError } from '../../ports/netsuite';
import { readChannelOrderSettings } from '../../ports/order-import-settings';
import type { StorefrontPort } from '../../ports/platforms';
import { fetchCanonicalOrder, queueOrderImport, storefrontChannel } from '../../ports/storefront-orders';

export interface OrderOperationsDeps {
  db: Db;
  jobs: JobQueue;
  storefronts: StorefrontPort;
}

export interface ImportOrderResult {
  orderId: string;
  outcome: 'queued' | 'already_known';
  syncRecordId: string | null;
}

/**
 * "Import this order now": reads the order from its platform and queues its import (sales order, fulfillment,
 * cash sale or invoice, per the channel's orderImport settings). Refuses when the channel does not import orders.
 */
export async function importOrderNow(deps: OrderOperationsDeps, tenantId: string, channelId: string, orderId: string): Promise<ImportOrderResult> {
  const channel = await storefrontChannel(deps.db, tenantId, channelId);
  if (!readChannelOrderSettings(channel.settings).orderImport.enabled) {
    throw new FlowError(
      'order_import_disabled',
      `This channel does not import orders (refunds.orderImport.enabled is off): its orders reach NetSuite through another connector.`,
      false,
    );
  }
  const order = await fetchCanonicalOrder(channel, orderId, deps.storefronts);
  const accepted = await queueOrderImport(deps.db, deps.jobs, channel, order, 'retrieve');
  return { orderId, outcome: accepted.duplicate ? 'already_known' : 'queued', syncRecordId: accepted.syncRecordId };
}
