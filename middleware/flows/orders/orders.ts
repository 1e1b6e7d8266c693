/**
 * Storefront orders -> NetSuite. On a channel that imports orders, an order becomes, step by step: the customer
 * (found by email, else created), the sales order (lines by SKU, discounts, shipping, tax and duties on their own
 * lines, the order's location), and — when the order is paid — its fulfillment and its cash sale or invoice. What is
 * written and the NetSuite total are decided before the first write (order-plan.ts): an order that cannot be
 * imported as it stands stops before writing, saying why.
 *
 * Every write carries an externalId derived from the order and is looked up before it is written, so a retry or a
 * second webhook (orders/create then orders/paid) resumes where the order stands and never writes a record twice.
 * A failed step is named in the sync record's message and in the attempt's detail (`{ step }`).
 *
 * Outcomes: `posted` when this sync record wrote something; `skipped` (with the reason) when it wrote nothing —
 * orders on this channel come from another connector, the order is cancelled or voided, or everything is already in
 * NetSuite. Other flows hear that an order landed through OrderEvents (the refund flow releases parked refunds).
 */
import type { LookupResult, Operation, WriteResult } from '../../../core/contracts/restlet';
import type { CanonicalOrder, Platform } from '../../../core/orders';
import { customerExternalId, orderRecordExternalId } from '../../../core/refunds';
import { mapOrder as mapShopifyOrder, shopifyOrder } from '../../connectors/shopify';
import { parsePayload } from '../../connectors/shared/parse';
import { findChannelById, type ChannelRow } from '../../store/sql/channels';
import type { ProcessContext, ProcessOutcome, SyncProcessor } from '../../sync/sync-worker';
import type { NetSuiteClient } from '../../netsuite/client';
import type { Db } from '../../store/db';
import { FlowError, runOps, type NetSuiteFor } from '../../ports/netsuite';
import { flowErrorOutcome } from '../../ports/flow-outcomes';
import { accountOf, readChannelOrderSettings, ORDER_IMPORT_SETTING_PATH, type ChannelOrderSettings } from '../../ports/order-import-settings';
import type { OrderEvents } from '../../ports/order-events';
import { importRuleOf, planOrderLines, type OrderLinesPlan } from './order-plan';

import { ORDER_IMPORT_TOPIC } from '../../ports/storefront-orders';

export { ORDER_IMPORT_TOPIC };
/** Shopify's order webhooks, and orders the middleware fetched itself. */
export const ORDER_TOPICS = ['orders/create', 'orders/paid', ORDER_IMPORT_TOPIC];

export type ImportStep = 'customer' | 'sales_order' | 'fulfillment' | 'billing';

export interface OrderDeps {
  db: Db;
  netsuite: NetSuiteFor;
  events: OrderEvents;
}

function canonicalOrder(channel: ChannelRow, topic: string, body: string): CanonicalOrder {
  if (topic === ORDER_IMPORT_TOPIC) return (JSON.parse(body) as { order: CanonicalOrder }).order;
  const parsed = parsePayload(shopifyOrder, body, `Shopify ${topic} webhook`);
  if (!parsed.ok) throw new FlowError(parsed.error.code, parsed.error.message, false);
  const mapped = mapShopifyOrder(parsed.value, accountOf('shopify', channel.id, channel.settings));
  if (!mapped.ok) throw new FlowError(mapped.error.code, mapped.error.message, false);
  return mapped.value;
}

/** A step's failure, with what the import had in NetSuite when it stopped. */
export class ImportStepError extends Error {
  constructor(
    readonly step: ImportStep,
    readonly failure: FlowError,
    readonly done: Readonly<Record<string, string>>,
  ) {
    super(`${step}: ${failure.message}`);
    this.name = 'ImportStepError';
  }
}

interface Written {
  id: string;
  created: boolean;
}

async function write(client: NetSuiteClient, op: Operation & { kind: 'create' | 'transform' }): Promise<Written> {
  const result = (await runOps(client, [{ ...op, lookupFirst: true }])).get(op.opId) as WriteResult;
  return { id: result.id, created: result.created ?? true };
}

async function customerStep(client: NetSuiteClient, order: CanonicalOrder, settings: ChannelOrderSettings): Promise<Written> {
  const email = order.customer.email;
  if (email) {
    const found = (await runOps(client, [{ opId: 'c', kind: 'lookup', recordType: 'customer', by: { field: 'email', value: email } }])).get('c') as LookupResult;
    if (found.found && found.id) return { id: found.id, created: false };
  }
  const key = email ?? order.customer.platformCustomerId ?? `order-${order.orderId}`;
  const [first, ...rest] = (order.customer.name ?? '').split(' ').filter(Boolean);
  const currencyId = settings.orderImport.currencyIds[order.currency];
  return write(client, {
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
  });
}

export interface ImportResult {
  customerId: string;
  salesOrderId: string;
  fulfillmentId: string | null;
  billing: { type: 'cash_sale' | 'invoice'; id: string } | null;
  /** The steps this run wrote (the others were found in NetSuite). */
  wrote: ImportStep[];
}

/**
 * Writes what the plan says, step by step, each looked up by its externalId first. `bill` false stops after the
 * sales order (unpaid orders). A failing step throws ImportStepError naming it.
 */
export async function importOrder(client: NetSuiteClient, order: CanonicalOrder, settings: ChannelOrderSettings, plan: OrderLinesPlan, bill: boolean): Promise<ImportResult> {
  const done: Record<string, string> = {};
  const wrote: ImportStep[] = [];
  const step = async <T extends Written | null>(name: ImportStep, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      if (result) {
        done[name] = result.id;
        if (result.created) wrote.push(name);
      }
      return result;
    } catch (error) {
      if (error instanceof FlowError) throw new ImportStepError(name, error, { ...done });
      throw error;
    }
  };
  const customer = await step('customer', () => customerStep(client, order, settings));
  const so = await step('sales_order', () =>
    write(client, {
      opId: 'so',
      kind: 'create',
      recordType: 'salesorder',
      externalId: plan.externalId,
      values: { entity: customer.id, otherrefnum: order.orderId, memo: `${order.platform} order ${order.orderNumber}`, location: plan.locationId },
      items: plan.items,
    }),
  );
  if (!bill) return { customerId: customer.id, salesOrderId: so.id, fulfillmentId: null, billing: null, wrote };
  const fulfillment = await step('fulfillment', async () => {
    try {
      return await write(client, { opId: 'ful', kind: 'transform', fromType: 'salesorder', from: { id: so.id }, toType: 'itemfulfillment', externalId: orderRecordExternalId(order.platform, order.account, order.orderId, 'itemfulfillment') });
    } catch (error) {
      // Nothing to ship (services, gift cards only) is not an error: the order is billed as it stands.
      if (error instanceof FlowError && error.code === 'netsuite_nothing_to_transform') return null;
      throw error;
    }
  });
  const billType = settings.orderImport.billing === 'cash_sale' ? 'cashsale' : 'invoice';
  const billed = await step('billing', () =>
    write(client, { opId: 'bill', kind: 'transform', fromType: 'salesorder', from: { id: so.id }, toType: billType, externalId: orderRecordExternalId(order.platform, order.account, order.orderId, billType) }),
  );
  return { customerId: customer.id, salesOrderId: so.id, fulfillmentId: fulfillment?.id ?? null, billing: { type: settings.orderImport.billing, id: billed.id }, wrote };
}

const RECORD_NAMES: Record<ImportStep, string> = { customer: 'customer', sales_order: 'sales order', fulfillment: 'item fulfillment', billing: 'bill' };

function describe(result: ImportResult): string {
  const parts = [`sales order ${result.salesOrderId}`];
  if (result.fulfillmentId) parts.push(`item fulfillment ${result.fulfillmentId}`);
  if (result.billing) parts.push(`${result.billing.type === 'cash_sale' ? 'cash sale' : 'invoice'} ${result.billing.id}`);
  return parts.join(', ');
}

/** Why this channel's orders are not imported, or null when they are. */
function notImported(settings: ChannelOrderSettings): string | null {
  if (!settings.orderImport.enabled) return `orders on this channel come from another connector (${ORDER_IMPORT_SETTING_PATH}.enabled is off): nothing was written in NetSuite.`;
  if (settings.orderLink.mode === 'external_field') {
    return `orders on this channel come from another connector (settings.refunds.orderLink finds them by ${settings.orderLink.fieldId}): nothing was written in NetSuite.`;
  }
  return null;
}

export function createOrderImportProcessor(deps: OrderDeps): SyncProcessor {
  return async ({ record, event, logger }: ProcessContext): Promise<ProcessOutcome> => {
    const channel = await findChannelById(deps.db, record.channel_id);
    if (!channel || !event) return { kind: 'failed', code: 'event_missing', message: 'The stored event or its channel is gone.', retryable: false };
    const settings = readChannelOrderSettings(channel.settings);
    let order: CanonicalOrder;
    try {
      order = canonicalOrder(channel, record.topic, event.body);
    } catch (error) {
      return flowErrorOutcome(error);
    }
    const landed = { channel, syncRecordId: record.id, order: { orderId: order.orderId, orderNumber: order.orderNumber, currency: order.currency, total: order.total } };
    const label = `${channel.kind as Platform} order ${order.orderNumber}`;

    const elsewhere = notImported(settings);
    if (elsewhere) {
      // The order may be in NetSuite through the other connector: refunds waiting for it look again.
      await deps.events.orderLanded({ ...landed, wrote: false, netsuite: null });
      return { kind: 'skipped', code: 'orders_from_other_connector', message: `${label}: ${elsewhere}` };
    }
    const rule = importRuleOf(order);
    if (rule.kind === 'skip') return { kind: 'skipped', code: rule.code, message: rule.reason };
    const plan = planOrderLines(order, settings);
    if (!plan.ok) return { kind: 'failed', code: plan.error.code, message: plan.error.message, retryable: false, detail: { step: 'plan' } };

    let imported: ImportResult;
    try {
      const client = await deps.netsuite(channel.tenant_id, channel.connection_id ?? '');
      imported = await importOrder(client, order, settings, plan.value, rule.kind === 'billed');
    } catch (error) {
      if (error instanceof ImportStepError) {
        const kept = Object.entries(error.done).filter(([s]) => s !== 'customer').map(([s, id]) => `${RECORD_NAMES[s as ImportStep]} ${id}`);
        return {
          kind: 'failed',
          code: error.failure.code,
          message:
            `${label} stopped at step ${error.step}: ${error.failure.message}` +
            (kept.length ? ` Already in NetSuite: ${kept.join(', ')}; a retry resumes from step ${error.step} and writes nothing twice.` : ' Nothing was written.'),
          retryable: error.failure.retryable,
          detail: { step: error.step, done: error.done },
        };
      }
      return flowErrorOutcome(error);
    }
    await deps.events.orderLanded({
      ...landed,
      wrote: imported.wrote.length > 0,
      netsuite: { salesOrderId: imported.salesOrderId, billingType: imported.billing?.type ?? null, billingId: imported.billing?.id ?? null },
    });
    const records = describe(imported);
    logger.info({ orderId: order.orderId, wrote: imported.wrote, records }, 'order imported');
    if (imported.wrote.length === 0) {
      return { kind: 'skipped', code: 'already_in_netsuite', message: `${label} is already in NetSuite: ${records}. ${rule.reason}` };
    }
    return { kind: 'posted', code: rule.kind === 'billed' ? 'order_billed' : 'order_unbilled', message: `${label}: ${records}. ${rule.reason}` };
  };
}
