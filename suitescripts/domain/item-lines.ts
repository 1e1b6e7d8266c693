/**
 * Plans the item sublist of a transformed record (cash refund from a cash sale, credit memo from an invoice …):
 * NetSuite copies every source line; the caller lists the lines the new record must have. Pure.
 */
import type { ItemLineInput } from '../../core/contracts/restlet';

/** A line already on the transformed record, as read from the item sublist. */
export interface ExistingLine {
  /** Item internal id. */
  item: string;
}

export type LinePlan =
  /** Keep existing line `index` (as it was on the source) with the requested quantity and overrides. */
  | { action: 'update'; index: number; input: ItemLineInput }
  /** Remove existing line `index`. */
  | { action: 'remove'; index: number }
  /** Add a line for an item the source does not have. */
  | { action: 'add'; item: string; input: ItemLineInput };

/**
 * Matches requested lines to existing ones by item, in order (the first unused line of that item), so a source
 * with the same SKU on two lines keeps both when two are requested. Removals come last in descending index
 * order, so that executing the plan in order never shifts a line index still to be used.
 */
export function planItemLines(
  existing: readonly ExistingLine[],
  requested: readonly ItemLineInput[],
  itemIdOfSku: (sku: string) => string,
): LinePlan[] {
  const used: boolean[] = existing.map(() => false);
  const updates: LinePlan[] = [];
  const adds: LinePlan[] = [];
  for (const input of requested) {
    const item = itemIdOfSku(input.sku);
    let index = -1;
    for (let i = 0; i < existing.length; i++) {
      if (!used[i] && (existing[i] as ExistingLine).item === item) {
        index = i;
        break;
      }
    }
    if (index === -1) {
      adds.push({ action: 'add', item, input });
    } else {
      used[index] = true;
      updates.push({ action: 'update', index, input });
    }
  }
  const removals: LinePlan[] = [];
  for (let i = existing.length - 1; i >= 0; i--) if (!used[i]) removals.push({ action: 'remove', index: i });
  return [...updates, ...removals, ...adds];
}
