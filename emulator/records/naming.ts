/** Display names of records, as select fields show them (getText, search text, lookupFields text). */
import type { Ctx } from './context';
import type { RecordData } from './types';

export function displayName(ctx: Ctx, record: RecordData): string {
  const f = record.fields;
  const s = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
  const def = ctx.schema.find(record.type);
  switch (def?.family) {
    case 'entity': {
      const person = [s(f.firstname), s(f.lastname)].filter(Boolean).join(' ');
      return s(f.companyname) || person || s(f.entityid);
    }
    case 'item': return s(f.itemid);
    case 'transaction': return `${def.label} #${s(f.tranid)}`;
    default: return s(f.name) || s(f.acctname) || s(record.id);
  }
}
