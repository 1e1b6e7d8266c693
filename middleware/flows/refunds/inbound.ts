/**
 * Storefront -> NetSuite: one canonical refund becomes the NetSuite records that match how its order was billed,
 * exactly once. The order is found through its link (the sales order we imported, or the body field another
 * connector fills); a refund whose order is not in NetSuite yet is parked until it lands (then an exception after
 * the age limit); a refund whose linked sales order was deleted fails saying so. Every write carries the externalId
 * core/refunds derives from the refund, so redeliveries and retries find the record instead of posting twice.
 * Before planning, every attempt looks up the refund's records by those externalIds in one batch and finishes from
 * what it finds (core/refunds/resume.ts): an earlier attempt's write changed the billing facts, so they are never
 * planned against again once a record exists; the plan is stored before the first write for that purpose.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { formatMoney, money, parseMoney } from '../../../core/money';
import { salesOrderLookup } from '../../../core/orders';
import {
  buildRefundPosting,
  planRefundSync,
  readStoredPlan,
  refundLookupIds,
  resumeFrom,
  storedPlanOf,
  type BillingKind,
  type CanonicalRefund,
  type FoundRecord,
  type NetSuiteRefundRecordKind,
  type RefundSource,
  type RefundSyncPlan,
  type StoredRecordPlan,
} from '../../../core/refunds';
import type { Db } from '../../store/db';
import type { ChannelRow } from '../../store/sql/channels';
import type { SyncRecordRow } from '../../store/sql/sync-records';
import type { ProcessOutcome } from '../../sync/sync-worker';
import type { Platform } from '../../../core/orders';
import type { LookupResult, Operation, WriteResult } from '../../../core/contracts/restlet';
import { runOps, type NetSuiteFor } from '../../ports/netsuite';
import { flowErrorOutcome } from '../../ports/flow-outcomes';
import { billingOf, findSalesOrder, type SalesOrderRef } from '../../ports/order-facts';
import { operationFor, type OpsContext } from './posting-ops';
import { accountOf, readRefundFlowSettings } from './settings';
import * as store from './store';

export interface InboundDeps {
  db: Db;
  netsuite: NetSuiteFor;
  logger: Logger;
  now?: () => Date;
}

export interface InboundInput {
  record: SyncRecordRow;
  channel: ChannelRow;
  refund: CanonicalRefund;
  /** The refund was made by us (NetSuite -> storefront) and echoed back by the platform's webhook. */
  echoOf?: string | null;
}

const parked = (code: string, message: string): ProcessOutcome => ({ kind: 'parked', code, message });
const failed = (code: string, message: string, retryable = false): ProcessOutcome => ({ kind: 'failed', code, message, retryable });

export { flowErrorOutcome };

/** Where the order's sales order is looked for: the id we linked before, else the configured link. */
async function orderRef(db: Db, channel: ChannelRow, platform: Platform, orderId: string): Promise<{ ref: SalesOrderRef; linkedId: string | null }> {
  const settings = readRefundFlowSettings(platform, channel.settings);
  const known = await store.getOrder(db, channel.id, orderId);
  if (known?.netsuite_salesorder_id) return { ref: { by: 'id', value: known.netsuite_salesorder_id }, linkedId: known.netsuite_salesorder_id };
  return { ref: salesOrderLookup(settings.orderLink, { platform, account: accountOf(platform, channel.id, channel.settings), orderId }), linkedId: null };
}

export async function syncInboundRefund(deps: InboundDeps, input: InboundInput): Promise<ProcessOutcome> {
  const { db } = deps;
  const { record, channel, refund } = input;
  const platform = channel.kind as Platform;
  const settings = readRefundFlowSettings(platform, channel.settings);
  const total = refund.transactions.filter((t) => t.status === 'success').reduce((a, t) => a + t.amount, 0);
  const row = await store.claimRefund(db, {
    id: randomUUID(),
    tenant_id: channel.tenant_id,
    channel_id: channel.id,
    direction: 'inbound',
    source_key: refund.refundId,
    sync_record_id: record.id,
    order_id: refund.orderId,
    platform_refund_id: refund.refundId,
    currency: refund.currency,
    total_minor: total,
  });
  if (row.sync_record_id !== record.id && row.netsuite_records.length > 0) {
    // Another delivery of the same refund already posted it: nothing more to write.
    return { kind: 'posted' };
  }

  if (input.echoOf) {
    await store.updateRefund(db, row.id, { detail: { echoOf: input.echoOf, note: 'Refund made in NetSuite and posted to the storefront by Ledgerbridge; not imported back.' } });
    return { kind: 'posted' };
  }
  if (settings.direction !== 'platform_to_netsuite') {
    return failed(
      'direction_not_inbound',
      `Refund ${refund.refundId} was made on ${platform}, but this channel's refund direction is '${settings.direction}': it is not imported into NetSuite. ` +
        "Make the refund in NetSuite instead, or set the channel's refundDirection to 'platform_to_netsuite'.",
    );
  }
  if (refund.transactions.some((t) => t.status === 'pending')) {
    return failed('refund_not_settled', `Refund ${refund.refundId} has a pending transaction; it is posted once the money has settled.`, true);
  }

  try {
    const client = await deps.netsuite(channel.tenant_id, channel.connection_id ?? '');
    const { ref, linkedId } = await orderRef(db, channel, platform, refund.orderId);
    const salesOrder = await findSalesOrder(client, ref);
    if (!salesOrder) {
      if (linkedId) {
        return failed(
          'netsuite_order_deleted',
          `The NetSuite sales order ${linkedId} of ${platform} order ${refund.orderId} was deleted, so refund ${refund.refundId} has nothing to post against. ` +
            'Re-import the order and retry, or cancel this refund if the order was deleted on purpose.',
        );
      }
      const ageHours = ((deps.now?.() ?? new Date()).getTime() - new Date(record.created_at).getTime()) / 3_600_000;
      if (ageHours > settings.parkedMaxAgeHours) {
        return failed(
          'order_never_synced',
          `${platform} order ${refund.orderId} has not reached NetSuite within ${settings.parkedMaxAgeHours} hours, so refund ${refund.refundId} cannot be posted. ` +
            'Import the order (retrieve it by order id) or check the order link setting, then retry.',
        );
      }
      return parked('order_not_synced', `Waiting for ${platform} order ${refund.orderId} to reach NetSuite; the refund is posted when it lands.`);
    }
    await store.upsertOrder(db, { channel_id: channel.id, order_id: refund.orderId, tenant_id: channel.tenant_id, netsuite_salesorder_id: salesOrder.id });

    const billing = await billingOf(client, salesOrder.id, refund.currency);
    await store.upsertOrder(db, {
      channel_id: channel.id,
      order_id: refund.orderId,
      tenant_id: channel.tenant_id,
      netsuite_billing_type: billing.kind,
      netsuite_billing_id: billing.kind === 'cash_sale' ? billing.cashSaleId : billing.kind === 'invoice' ? billing.invoiceId : billing.customerDeposit?.id ?? null,
    });
    const postingSettings = { adjustmentItem: settings.adjustmentItem, shippingItem: settings.shippingItem };
    const ctx: OpsContext = {
      currency: refund.currency,
      refundLines: refund.lines,
      platformRef: `${platform}:${refund.refundId}`,
      memo: `${platform} refund ${refund.refundId} of order ${refund.orderId}${refund.note ? `: ${refund.note}` : ''}`,
      customerId: salesOrder.customerId,
      nonRestockLocationId: settings.nonRestockLocationId,
      adjustmentItem: settings.adjustmentItem,
    };

    // An attempt after one that stored its plan first looks up what that one may have written (it may have died
    // before hearing back): its writes changed the billing facts, so it is finished from the records and the
    // stored plan instead. The plan is stored before any write, so with none stored nothing can have been written.
    const stored = readStoredPlan(row.detail.plan);
    const found = stored ? await findWrittenRecords(client, refund, billing.kind, stored, refund.currency) : [];
    const decision = resumeFrom(refund, found, stored);
    if (decision.kind !== 'fresh') {
      const posting = buildRefundPosting(refund, postingSettings);
      if (!posting.ok) return failed(posting.error.code, posting.error.message, false);
      const written: store.NetSuiteRecordRef[] = found.map((f) => ({ kind: f.kind, id: f.id, externalId: f.externalId, amount: f.amount, created: false }));
      if (decision.kind === 'finish') {
        const memo = found.find((f) => f.kind === 'creditmemo');
        const rest = await writePlan(client, { posting: posting.value, records: decision.missing, nothingToPost: null }, { ...ctx, currency: posting.value.currency }, memo?.id ?? null);
        written.push(...rest);
      }
      await recordPosted(db, row.id, billing.kind, posting.value, written, stored, { resumedFrom: found.map((f) => `${f.kind}:${f.id}`) });
      deps.logger.info({ refundId: refund.refundId, found: found.map((f) => `${f.kind}:${f.id}`), records: written.map((w) => `${w.kind}:${w.id}`) }, 'refund finished from the records already in NetSuite');
      return {
        kind: 'posted',
        message:
          decision.kind === 'complete'
            ? `NetSuite already had every record of refund ${refund.refundId} (${describeRecords(found)}), written by an earlier attempt; nothing was written again.`
            : `NetSuite already had ${describeRecords(found)} of refund ${refund.refundId}, written by an earlier attempt; only the missing ${decision.missing.map((m) => m.kind).join(', ')} was written.`,
      };
    }

    const plan = planRefundSync(refund, billing, postingSettings);
    if (!plan.ok) return failed(plan.error.code, plan.error.message, false);
    if (plan.value.nothingToPost) {
      await store.updateRefund(db, row.id, { total_minor: 0, detail: { nothingToPost: plan.value.nothingToPost, billing: billing.kind } });
      return { kind: 'posted' };
    }
    // The plan is stored before the first write: a later attempt that finds part of it written finishes it with
    // these amounts, not with billing facts the write has changed.
    const plannedRecords = storedPlanOf(billing.kind, plan.value.records);
    await store.updateRefund(db, row.id, { detail: { ...row.detail, billing: billing.kind, plan: plannedRecords } });
    const written = await writePlan(client, plan.value, { ...ctx, currency: plan.value.posting.currency }, null);
    await recordPosted(db, row.id, billing.kind, plan.value.posting, written, plannedRecords, {});
    deps.logger.info({ refundId: refund.refundId, records: written.map((w) => `${w.kind}:${w.id}`) }, 'refund posted to NetSuite');
    return { kind: 'posted' };
  } catch (error) {
    return flowErrorOutcome(error);
  }
}

type Client = Awaited<ReturnType<NetSuiteFor>>;

/**
 * Looks up, in one RESTlet batch, every record the refund can have been written as (by its externalIds): the kinds
 * of the order's billing and those of the stored plan. Amounts are read unsigned (a search may sign a credit).
 */
async function findWrittenRecords(client: Client, source: RefundSource, billing: BillingKind, stored: StoredRecordPlan | null, currency: string): Promise<FoundRecord[]> {
  const wanted = new Map<NetSuiteRefundRecordKind, string>();
  for (const { kind, externalId } of refundLookupIds(source, billing)) wanted.set(kind, externalId);
  for (const r of stored?.records ?? []) if (!wanted.has(r.kind)) wanted.set(r.kind, r.externalId);
  const ops: Operation[] = [...wanted].map(([kind, externalId]) => ({
    opId: kind,
    kind: 'lookup',
    recordType: kind,
    by: { externalId },
    columns: kind === 'creditmemo' ? ['total', 'amountremaining'] : ['total'],
  }));
  const results = await runOps(client, ops);
  const amountOf = (r: LookupResult, column: string): number | null => {
    const v = r.values[column]?.value;
    if (v === undefined || v === null || v === '') return null;
    return Math.abs(parseMoney(String(v), currency).amount);
  };
  const found: FoundRecord[] = [];
  for (const [kind, externalId] of wanted) {
    const r = results.get(kind) as LookupResult | undefined;
    if (!r?.found || !r.id) continue;
    found.push({ kind, id: r.id, externalId, amount: amountOf(r, 'total') ?? 0, unapplied: kind === 'creditmemo' ? amountOf(r, 'amountremaining') : null });
  }
  return found;
}

function describeRecords(records: readonly FoundRecord[]): string {
  return records.map((r) => `${r.kind} ${r.id}`).join(', ');
}

/** Stores the refund's NetSuite records (the first is its primary record) and what was posted. */
async function recordPosted(
  db: Db,
  refundRowId: string,
  billing: BillingKind,
  posting: RefundSyncPlan['posting'],
  written: store.NetSuiteRecordRef[],
  plan: StoredRecordPlan | null,
  extra: Record<string, unknown>,
): Promise<void> {
  const primary = written[0];
  await store.updateRefund(db, refundRowId, {
    netsuite_records: written,
    netsuite_record_type: primary?.kind ?? null,
    netsuite_record_id: primary?.id ?? null,
    total_minor: posting.total,
    detail: {
      billing,
      difference: posting.difference,
      lines: posting.lines.map((l) => ({ kind: l.kind, item: l.item, quantity: l.quantity, amount: l.amount, restock: l.restock, memo: l.memo })),
      ...(plan ? { plan } : {}),
      ...extra,
    },
  });
}

/**
 * Writes the planned records in order (a customer refund after the credit memo it pays out). `existingCreditMemoId` is a
 * credit memo already in NetSuite that a planned customer refund pays out.
 */
async function writePlan(client: Client, plan: RefundSyncPlan, ctx: OpsContext, existingCreditMemoId: string | null): Promise<store.NetSuiteRecordRef[]> {
  const written: store.NetSuiteRecordRef[] = [];
  let creditMemoId: string | null = existingCreditMemoId;
  for (const planned of plan.records) {
    const op = operationFor(planned, plan, ctx, creditMemoId);
    const result = (await runOps(client, [op])).get(op.opId) as WriteResult;
    if (planned.kind === 'creditmemo') creditMemoId = result.id;
    written.push({ kind: planned.kind, id: result.id, externalId: planned.externalId, amount: planned.amount, created: result.created ?? true });
  }
  return written;
}

export function describeTotal(amount: number, currency: string): string {
  return `${formatMoney(money(amount, currency))} ${currency}`;
}
