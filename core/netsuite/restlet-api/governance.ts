/**
 * Governance units of the RESTlet's operations: the documented unit costs (reference 1.1), the worst case an
 * operation may use (the batch checks it against getRemainingUsage before starting the operation), and the
 * floor the documented costs allow (what benchmarks compare measured usage with). Pure.
 */
import type { Operation, RecordRef } from '../../contracts/restlet';
import { categoryOf, type RecordCategory } from './record-types';

/** record.load / create / copy / transform / submitFields (reference 1.1). */
export const LOAD_UNITS: Record<RecordCategory, number> = { transaction: 10, custom: 2, other: 5 };
/** Record.save() / record.delete (reference 1.1). */
export const SAVE_UNITS: Record<RecordCategory, number> = { transaction: 20, custom: 4, other: 10 };
/** ResultSet.getRange / each. */
export const SEARCH_UNITS = 10;
/** search.lookupFields: a lookup by internal id (reference 1.1). */
export const LOOKUP_FIELDS_UNITS = 1;

/** Units to resolve a reference to an internal id: free for an id, one search otherwise. */
export function resolveUnits(ref: RecordRef): number {
  return 'id' in ref ? 0 : SEARCH_UNITS;
}

/** The search a create/transform with lookupFirst runs before writing (WriteRetryHint). */
function lookupFirstUnits(op: { lookupFirst?: boolean }): number {
  return op.lookupFirst ? SEARCH_UNITS : 0;
}

/**
 * Most units an operation can use, including the externalId lookup a failed write runs to tell "already there"
 * from a real failure (and the lookup a lookupFirst operation runs before writing).
 */
export function worstCaseUnits(op: Operation): number {
  switch (op.kind) {
    case 'create': {
      const c = categoryOf(op.recordType);
      return lookupFirstUnits(op) + (op.items && op.items.length > 0 ? SEARCH_UNITS : 0) + LOAD_UNITS[c] + SAVE_UNITS[c] + SEARCH_UNITS;
    }
    case 'transform': {
      const c = categoryOf(op.toType);
      return (
        lookupFirstUnits(op) +
        resolveUnits(op.from) +
        LOAD_UNITS[categoryOf(op.fromType)] +
        (op.items && op.items.length > 0 ? SEARCH_UNITS : 0) +
        SAVE_UNITS[c] +
        SEARCH_UNITS
      );
    }
    case 'setFields':
      return resolveUnits(op.target) + LOAD_UNITS[categoryOf(op.recordType)];
    case 'lookup':
      // By internal id: lookupFields, and the search it falls back to when lookupFields fails.
      return 'id' in op.by ? LOOKUP_FIELDS_UNITS + SEARCH_UNITS : SEARCH_UNITS;
    case 'itemsBySku':
      return SEARCH_UNITS;
    case 'read':
      // record.load, plus one search for the SKUs of the item lines when they are asked for.
      return LOAD_UNITS[categoryOf(op.recordType)] + (op.sublists && op.sublists.indexOf('item') !== -1 ? SEARCH_UNITS : 0);
    case 'billing':
      // The cash sale / invoice search, and the deposit search when the order has neither.
      return 2 * SEARCH_UNITS;
  }
}

/**
 * The fewest units the documented costs allow for the operation's effect, with nothing spent on idempotency:
 * create = create + save (+ one SKU search when it has item lines), transform = transform + save (+ resolve, +
 * SKU search for added lines), setFields = submitFields (+ resolve), lookup = one search (lookupFields by internal id), read = load (+ one SKU
 * search for item lines), billing = one search (a billed order).
 */
export function floorUnits(op: Operation): number {
  if (op.kind === 'create' || op.kind === 'transform') return worstCaseUnits(op) - SEARCH_UNITS - lookupFirstUnits(op);
  // One search tells how a billed order was billed; lookupFields finds a record by internal id.
  if (op.kind === 'billing') return SEARCH_UNITS;
  if (op.kind === 'lookup' && 'id' in op.by) return LOOKUP_FIELDS_UNITS;
  return worstCaseUnits(op);
}

/** The fewest units an answer for an externalId that already exists can cost: one search. */
export const REPLAY_FLOOR_UNITS = SEARCH_UNITS;
