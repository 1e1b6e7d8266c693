/**
 * Storefront orders -> NetSuite sales orders. With import on, an order becomes a sales order for
 * the buyer (found by email, else created), lines matched by SKU at the exact amounts paid, shipping on the
 * shipping item; then fulfilled and billed by cash sale or invoice, each write idempotent by an externalId derived
 * from the order. With import off (another connector syncs orders), the order is only noted. Either way, refunds
 * parked for the order are released to look for it again.
 */
import type { LookupResult, WriteResult } from '../../../core/contracts/restlet';
import { planSalesOrder, type CanonicalOrder, type Platform } from '../../../core/orders';
import { customerExternalId, orderRecordExternalId, type PostingLine } from '../../../core/refunds';
import { mapOrder as mapShopifyOrder, shopifyOrder } from '../../connectors/shopify';
import { parsePayload } from '../../connectors/shared/parse';
import { findChannelById, type ChannelRow } from '../../store/sql/channels';
import type { ProcessContext, ProcessOutcome, SyncProcessor } from '../../sync/sync-worker';
import type { NetSuiteClient } from '../../netsuite/client';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import { flowErrorOutcome } from '../refunds/inbound';
import { FlowError, runOps, type NetSuiteFor } from '../../ports/netsuite';
import { itemLinesOf } from '../refunds/posting-ops';
import { accountOf, readRefundFlowSettings, type RefundFlowSettings } from '../refunds/settings';
import { releaseParked } from '../refunds/sweep';
import { ORDER_IMPORT_TOPIC } from '../refunds/sources';
import * as store from '../refunds/store';

/** Shopify's order webhooks, and orders the middleware fetched itself (body: { order: CanonicalOrder }). */
export { ORDER_IMPORT_TOPIC };
export const ORDER_TOPICS = ['orders/create', 'orders/paid', ORDER_IMPORT_TOPIC];

export interface OrderDeps {
  db: Db;
  jobs: JobQueue;
  netsuite: NetSuiteFor;
}

function canonicalOrder(channel: ChannelRow, topic: string, body: string): CanonicalOrder {
  if (topic === ORDER_IMPORT_TOPIC) return (JSON.parse(body) as { order: CanonicalOrder }).order;
  const parsed = parsePayload(shopifyOrder, body, `Shopify ${topic} webhook`);
  if (!parsed.ok) throw new FlowError(parsed.error.code, parsed.error.message, false);
  const mapped = mapShopifyOrder(parsed.value, accountOf('shopify', channel.id, channel.settings));
  if (!mapped.ok) throw new FlowError(mapped.error.code, mapped.error.message, false);
  return mapped.value;
}

async function findOrCreateCustomer(client: NetSuiteClient, order: CanonicalOrder, settings: RefundFlowSettings): Promise<string> {
  const email = order.customer.email;
  const key = email ?? order.customer.platformCustomerId ?? `order-${order.orderId}`;
  if (email) {
    const found = (await runOps(client, [{ opId: 'c', kind: 'lookup', recordType: 'customer', by: { field: 'email', value: email } }])).get('c') as LookupResult;
    if (found.found && found.id) return found.id;
  }
  const [first, ...rest] = (order.customer.name ?? '').split(' ').filter(Boolean);
  const currencyId = settings.orderImport.currencyIds[order.currency];
  const created = (
    await runOps(client, [
      {
        opId: 'c',
        kind: 'create',
        recordType: 'customer',
        externalId: customerExternalId(order.platform, order.account, key),
        values: {
          isperson: true,
          firstname: first ?? null,
          lastname: rest.join(' ') || (email ?? `Buyer ${order.orderId}`),
          email,
          ...(currencyId ? { currency: currencyId } : {}),
        },
      },
    ])
  ).get('c') as WriteResult;
  return created.id;
}

/** Writes the sales order, its fulfillment and its bill; returns their ids. */
export async function importOrder(client: NetSuiteClient, order: CanonicalOrder, settings: RefundFlowSettings) {
  const plan = planSalesOrder(order, settings.orderImport.billing);
  const customerId = await findOrCreateCustomer(client, order, settings);
  const lines: PostingLine[] = plan.lines.map((l) => ({ kind: 'item', item: l.item, quantity: l.quantity, amount: l.amount, tax: l.tax, restock: true, memo: null }));
  if (plan.shipping.amount > 0) lines.push({ kind: 'shipping', item: settings.shippingItem, quantity: 1, amount: plan.shipping.amount, tax: plan.shipping.tax, restock: true, memo: 'Shipping' });
  const items = itemLinesOf(lines, { currency: plan.currency, nonRestockLocationId: null, adjustmentItem: settings.adjustmentItem });
  const location = settings.orderImport.locationId;
  const so = (
    await runOps(client, [
      {
        opId: 'so',
        kind: 'create',
        recordType: 'salesorder',
        externalId: plan.externalId,
        values: { entity: customerId, otherrefnum: order.orderId, memo: `${order.platform} order ${order.orderNumber}`, ...(location ? { location } : {}) },
        items,
      },
    ])
  ).get('so') as WriteResult;
  try {
    await runOps(client, [
      { opId: 'ful', kind: 'transform', fromType: 'salesorder', from: { id: so.id }, toType: 'itemfulfillment', externalId: orderRecordExternalId(order.platform, order.account, order.orderId, 'itemfulfillment') },
    ]);
  } catch (error) {
    // Nothing to ship (services, gift cards only) is not an error: the order is billed as it stands.
    if (!(error instanceof FlowError && error.code === 'netsuite_nothing_to_transform')) throw error;
  }
  const billType = plan.billing === 'cash_sale' ? 'cashsale' : 'invoice';
  const bill = (
    await runOps(client, [
      { opId: 'bill', kind: 'transform', fromType: 'salesorder', from: { id: so.id }, toType: billType, externalId: orderRecordExternalId(order.platform, order.account, order.orderId, billType) },
    ])
  ).get('bill') as WriteResult;
  return { salesOrderId: so.id, billingType: plan.billing, billingId: bill.id, customerId };
}

export function createOrderImportProcessor(deps: OrderDeps): SyncProcessor {
  return async ({ record, event }: ProcessContext): Promise<ProcessOutcome> => {
    const channel = await findChannelById(deps.db, record.channel_id);
    if (!channel || !event) return { kind: 'failed', code: 'event_missing', message: 'The stored event or its channel is gone.', retryable: false };
    const settings = readRefundFlowSettings(channel.kind as Platform, channel.settings);
    try {
      const order = canonicalOrder(channel, record.topic, event.body);
      const base = { channel_id: channel.id, order_id: order.orderId, tenant_id: channel.tenant_id, order_number: order.orderNumber, currency: order.currency, total_minor: order.total };
      if (!settings.orderImport.enabled) {
        await store.upsertOrder(deps.db, base);
      } else {
        const client = await deps.netsuite(channel.tenant_id, channel.connection_id ?? '');
        const imported = await importOrder(client, order, settings);
        await store.upsertOrder(deps.db, {
          ...base,
          sync_record_id: record.id,
          netsuite_salesorder_id: imported.salesOrderId,
          netsuite_billing_type: imported.billingType,
          netsuite_billing_id: imported.billingId,
        });
      }
      // The order has landed (or may have, through another connector): parked refunds look again.
      await releaseParked(deps, channel, order.orderId);
      return { kind: 'posted' };
    } catch (error) {
      return flowErrorOutcome(error);
    }
  };
}
