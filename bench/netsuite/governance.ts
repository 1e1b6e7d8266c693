/**
 * Governance units the bundle spends: per RESTlet operation kind and per User Event save, measured by the local
 * account's usage reports, beside the floor the documented unit costs allow (reference 1.1).
 * Prints one JSON document, then a one-line summary.
 */
import type { Operation } from '../../core/contracts/restlet';
import { floorUnits, LOAD_UNITS, REPLAY_FLOOR_UNITS, SAVE_UNITS, SEARCH_UNITS } from '../../core/netsuite/restlet-api/governance';
import { benchAccount, invoke } from './account';

interface Row {
  measure: string;
  units: number;
  floor: number;
}

export async function main(): Promise<number> {
  const { account, customerId } = benchAccount();
  const rows: Row[] = [];
  const sale = (externalId: string): Operation => ({
    opId: 'op',
    kind: 'create',
    recordType: 'cashsale',
    externalId,
    values: { entity: customerId },
    items: [{ sku: 'SKU-A', quantity: 2, rate: '10.00' }, { sku: 'SKU-B', quantity: 1, rate: '5.50' }],
  });
  async function measure(measure: string, op: Operation, floor = floorUnits(op)): Promise<string> {
    const { body, units } = await invoke<'batch'>(account, { action: 'batch', operations: [op] });
    const result = body.results[0];
    if (!result || result.status !== 'ok') throw new Error(`${measure}: ${JSON.stringify(result)}`);
    rows.push({ measure, units, floor });
    return 'id' in result ? String(result.id) : '';
  }

  const saleId = await measure('create cashsale (2 lines by SKU)', sale('bench:sale:1'));
  // A replay without the hint pays for the write attempt before finding the record; the least any answer could
  // cost is one lookup. With lookupFirst (a caller re-sending after a crash or an unknown outcome) it is that one
  // lookup; a first attempt with the hint pays that lookup on top of the write.
  await measure('create again, same externalId (idempotent replay, write-first)', sale('bench:sale:1'), REPLAY_FLOOR_UNITS);
  await measure('create again, same externalId, lookupFirst (replay of a retry)', { ...sale('bench:sale:1'), lookupFirst: true } as Operation, REPLAY_FLOOR_UNITS);
  await measure('create new with lookupFirst (a retry that had not committed)', { ...sale('bench:sale:2'), lookupFirst: true } as Operation, floorUnits(sale('bench:sale:2')));
  const refund: Operation = { opId: 'op', kind: 'transform', fromType: 'cashsale', from: { id: saleId }, toType: 'cashrefund', externalId: 'bench:refund:1', items: [{ sku: 'SKU-A', quantity: 1 }] };
  const refundId = await measure('transform cashsale→cashrefund (lines by SKU)', refund);
  await measure('transform by externalId of the source', { ...refund, externalId: 'bench:refund:2', from: { externalId: 'bench:sale:1' }, items: undefined } as Operation);
  await measure('setFields by id', { opId: 'op', kind: 'setFields', recordType: 'cashrefund', target: { id: refundId }, values: { memo: 'x' } });
  await measure('setFields by externalId', { opId: 'op', kind: 'setFields', recordType: 'cashrefund', target: { externalId: 'bench:refund:1' }, values: { memo: 'y' } });
  await measure('lookup by externalId', { opId: 'op', kind: 'lookup', recordType: 'cashsale', by: { externalId: 'bench:sale:1' }, columns: ['total', 'status'] });
  await measure('itemsBySku (2 SKUs)', { opId: 'op', kind: 'itemsBySku', skus: ['SKU-A', 'SKU-B'] });

  // User Event: a person saves a cash refund in the UI → one outbox event.
  account.clearUsage();
  account.ui.edit('cashrefund', refundId, { memo: 'edited in the UI' });
  const ue = account.usage().filter((u) => u.scriptId === 'customscript_lb_ue_outbox');
  rows.push({ measure: 'User Event per tracked save (outbox event)', units: ue.reduce((n, u) => n + u.unitsUsed, 0), floor: LOAD_UNITS.custom + SAVE_UNITS.custom });
  const pulled = await invoke<'outbox.pull'>(account, { action: 'outbox.pull', after: '0' });
  rows.push({ measure: 'outbox.pull (one page)', units: pulled.units, floor: SEARCH_UNITS });
  const acked = await invoke<'outbox.ack'>(account, { action: 'outbox.ack', ids: pulled.body.events.map((e) => e.id) });
  rows.push({ measure: 'outbox.ack per event', units: acked.units / Math.max(1, pulled.body.events.length), floor: LOAD_UNITS.custom });
  await account.close();

  const atFloor = rows.filter((r) => r.units <= r.floor).length;
  process.stdout.write(`${JSON.stringify({ benchmark: 'netsuite-governance', unitLimits: { restlet: 5000, userEvent: 1000 }, rows }, null, 2)}\n`);
  process.stdout.write(`netsuite-governance: ${atFloor}/${rows.length} measures at the documented floor; UE ${rows.find((r) => r.measure.startsWith('User Event'))?.units} units/save\n`);
  return 0;
}
