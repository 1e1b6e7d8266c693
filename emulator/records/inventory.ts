/**
 * Inventory per item per location. Each stored transaction has inventory effects (a pure function of its data);
 * a save reverses the old effects and applies the new ones. Quantity on hand counts every location; quantity
 * available counts only nettable locations (a location with `makeinventoryavailable` = false, e.g. a returns
 * holding location, holds stock on hand that is not available). Committed quantities are not modelled.
 */
import { linesOf, str, type Ctx } from './context';
import { itemRecord } from './lines';
import { NsError, type RecordData } from './types';

export interface Effect { item: string; location: string; quantity: number }

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

/** Stock movements a transaction causes (inventory items only). */
export function effectsOf(ctx: Ctx, record: RecordData): Effect[] {
  const out: Effect[] = [];
  const bodyLoc = str(record.fields.location);
  const push = (item: unknown, location: string | null, quantity: number, where: string) => {
    const it = itemRecord(ctx, item);
    if (!it || it.type !== 'inventoryitem' || quantity === 0) return;
    if (!location) throw new NsError('USER_ERROR', `Please enter value(s) for: Location (${where})`);
    out.push({ item: it.id as string, location, quantity });
  };
  switch (record.type) {
    case 'itemfulfillment':
    case 'itemreceipt': {
      const sign = record.type === 'itemfulfillment' ? -1 : 1;
      for (const [i, l] of linesOf(record, 'item').entries()) {
        push(l.item, str(l.location) ?? bodyLoc, sign * num(l.quantity), `${record.type}.item[${i}]`);
      }
      break;
    }
    case 'cashsale':
    case 'invoice': {
      // A sale billed without a sales order ships from stock itself; one created from an order is fulfilled
      // by the order's item fulfillments instead.
      if (str(record.fields.createdfrom)) break;
      for (const [i, l] of linesOf(record, 'item').entries()) {
        const loc = str(l.location) ?? bodyLoc;
        if (loc) push(l.item, loc, -num(l.quantity), `${record.type}.item[${i}]`);
      }
      break;
    }
    case 'inventoryadjustment':
      for (const [i, l] of linesOf(record, 'inventory').entries()) {
        push(l.item, str(l.location) ?? str(record.fields.adjlocation), num(l.adjustqtyby), `inventoryadjustment.inventory[${i}]`);
      }
      break;
    case 'inventorytransfer': {
      const to = str(record.fields.transferlocation);
      for (const [i, l] of linesOf(record, 'inventory').entries()) {
        push(l.item, bodyLoc, -num(l.adjustqtyby), `inventorytransfer.inventory[${i}]`);
        push(l.item, to, num(l.adjustqtyby), `inventorytransfer.inventory[${i}]`);
      }
      break;
    }
    default:
      break;
  }
  return out;
}

export interface Inventory {
  apply(effects: Effect[], sign: 1 | -1): void;
  onHand(item: string, location: string): number;
  /** Per-location levels of an item (locations with any movement). */
  levels(item: string): Array<{ location: string; onHand: number }>;
  /** Every level as [item, location, quantity on hand] (for the account's state file). */
  exportLevels(): Array<[string, string, number]>;
  /** Replaces every level. */
  importLevels(levels: Array<[string, string, number]>): void;
}

/** `onChange` is told after every change of a level. */
export function createInventory(onChange: () => void = () => undefined): Inventory {
  const levels = new Map<string, Map<string, number>>();
  const set = (item: string, location: string, quantity: number) => {
    if (!levels.has(item)) levels.set(item, new Map());
    (levels.get(item) as Map<string, number>).set(location, quantity);
  };
  return {
    apply(effects, sign) {
      for (const e of effects) set(e.item, e.location, (levels.get(e.item)?.get(e.location) ?? 0) + sign * e.quantity);
      if (effects.length > 0) onChange();
    },
    exportLevels: () => [...levels].flatMap(([item, m]) => [...m].map(([location, q]): [string, string, number] => [item, location, q])),
    importLevels(next) {
      levels.clear();
      for (const [item, location, q] of next) set(item, location, q);
      onChange();
    },
    onHand: (item, location) => levels.get(item)?.get(location) ?? 0,
    levels: (item) => [...(levels.get(item) ?? new Map<string, number>())].map(([location, onHand]) => ({ location, onHand })),
  };
}

/** Item fields computed from stock: quantityonhand, quantityavailable and the `locations` sublist. */
export function withStock(ctx: Ctx, inventory: Inventory, item: RecordData): void {
  if (item.type !== 'inventoryitem' || !item.id) return;
  let onHand = 0;
  let available = 0;
  const lines = [];
  for (const { location, onHand: q } of inventory.levels(item.id)) {
    const loc = ctx.store.get(location);
    const nettable = loc?.fields.makeinventoryavailable !== false;
    onHand += q;
    if (nettable) available += q;
    lines.push({ location, quantityonhand: q, quantityavailable: nettable ? q : 0 });
  }
  item.fields.quantityonhand = onHand;
  item.fields.quantityavailable = available;
  item.sublists.locations = lines;
}
