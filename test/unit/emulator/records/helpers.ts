/** Small builders for record-engine fidelity tests: each goes through the public RecordEngine API. */
import { createRecordEngine } from '../../../../emulator/records/engine';
import type { FieldValue, LineData, RecordData } from '../../../../emulator/records/types';

export type Engine = ReturnType<typeof createRecordEngine>;

export function newEngine(now = () => new Date('2026-03-10T12:00:00Z')): Engine {
  return createRecordEngine({ accountId: 'TSTDRV123', now });
}

export function create(e: Engine, type: string, fields: Record<string, FieldValue>, sublists: Record<string, LineData[]> = {}): string {
  const r: RecordData = e.newRecord(type);
  Object.assign(r.fields, fields);
  Object.assign(r.sublists, sublists);
  return e.save(r);
}

export interface World {
  e: Engine;
  customer: string;
  other: string;
  widget: string;
  gadget: string;
  shipping: string;
  service: string;
  discount: string;
  main: string;
  holding: string;
  bank: string;
  undep: string;
}

/** A customer, inventory items, a charge, a discount, a nettable and a non-nettable location, accounts. */
export function world(): World {
  const e = newEngine();
  const customer = create(e, 'customer', { companyname: 'Acme Ltd', email: 'ap@acme.test' });
  const other = create(e, 'customer', { firstname: 'Ada', lastname: 'Lovelace' });
  const widget = create(e, 'inventoryitem', { itemid: 'WIDGET', displayname: 'Widget', price: '19.99' });
  const gadget = create(e, 'inventoryitem', { itemid: 'GADGET', price: '5.00' });
  const shipping = create(e, 'otherchargeitem', { itemid: 'SHIPPING', price: '4.95' });
  const service = create(e, 'serviceitem', { itemid: 'GIFTWRAP', price: '2.50' });
  const discount = create(e, 'discountitem', { itemid: 'DISCOUNT' });
  const main = create(e, 'location', { name: 'Main Warehouse' });
  const holding = create(e, 'location', { name: 'Returns Holding', makeinventoryavailable: false });
  const bank = create(e, 'account', { acctname: 'Operating Bank', accttype: 'Bank' });
  const undep = create(e, 'account', { acctname: 'Undeposited Funds', accttype: 'OthCurrAsset', isundepfunds: true });
  const adj = create(e, 'account', { acctname: 'Inventory Adjustments', accttype: 'OthExpense' });
  create(e, 'inventoryadjustment', { account: adj, adjlocation: main }, {
    inventory: [{ item: widget, adjustqtyby: 100 }, { item: gadget, adjustqtyby: 50 }],
  });
  return { e, customer, other, widget, gadget, shipping, service, discount, main, holding, bank, undep };
}

/** A sales order for `customer` with the given lines (item, quantity, optional rate). */
export function salesOrder(w: World, lines: LineData[], fields: Record<string, FieldValue> = {}): string {
  return create(w.e, 'salesorder', { entity: w.customer, location: w.main, ...fields }, { item: lines });
}

export function transformAndSave(e: Engine, from: string, id: string, to: string, edit?: (r: RecordData) => void): string {
  const r = e.transform(from, id, to);
  edit?.(r);
  return e.save(r);
}

export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? `no code: ${String(err)}`;
  }
  return 'no error';
}
