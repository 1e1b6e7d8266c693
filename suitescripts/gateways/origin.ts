/** Reads the integration-origin marker of a record in a User Event context. */
import type * as record from 'N/record';

export const ORIGIN_FIELD = 'custbody_lb_origin';

export function originOf(rec: record.Record): string {
  const value = rec.getValue({ fieldId: ORIGIN_FIELD });
  return value === null || value === undefined ? '' : String(value);
}
