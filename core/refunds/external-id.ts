/**
 * Deterministic externalIds for NetSuite writes. The same source event always yields the same externalId, so a
 * retry, a webhook redelivered days later or ten concurrent duplicates all hit NetSuite's externalId uniqueness
 * instead of posting twice. Components are escaped (anything outside [A-Za-z0-9] becomes _xx, hex) and joined
 * with '-', so different inputs can never produce the same id.
 * NetSuite's maximum externalId length is UNCONFIRMED in our references; ids here stay short for normal inputs and
 * the function refuses anything over 255 characters rather than truncating (truncation could collide).
 */
import type { Platform } from '../orders/types';

export type NetSuiteRefundRecordKind = 'cashrefund' | 'creditmemo' | 'customerrefund';

const MAX_LENGTH = 255;

/** Escapes one component so it contains only [A-Za-z0-9_] and no '-' separator. */
export function escapeComponent(value: string): string {
  let out = '';
  for (const ch of value) {
    if (/[A-Za-z0-9]/.test(ch)) {
      out += ch;
    } else {
      // UTF-8 bytes as _xx; ASCII punctuation that encodeURIComponent leaves alone is hex-encoded by char code.
      const encoded = encodeURIComponent(ch);
      out += encoded.startsWith('%')
        ? encoded.toLowerCase().replace(/%/g, '_')
        : `_${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}

function join(parts: readonly string[]): string {
  const id = parts.map(escapeComponent).join('-');
  if (id.length > MAX_LENGTH) throw new RangeError(`externalId would be ${id.length} characters; the limit used is ${MAX_LENGTH}`);
  return id;
}

export interface RefundSource {
  platform: Platform;
  account: string;
  refundId: string;
}

/** externalId of the NetSuite record of `kind` written for one storefront refund. */
export function refundExternalId(source: RefundSource, kind: NetSuiteRefundRecordKind): string {
  return join(['lb', source.platform, source.account, source.refundId, kind]);
}

/** externalId of the sales order we import for a storefront order. */
export function orderExternalId(platform: Platform, account: string, orderId: string): string {
  return join(['lb', platform, account, orderId, 'salesorder']);
}

/** externalId of a record we write for an imported storefront order: its fulfillment and its bill. */
export function orderRecordExternalId(platform: Platform, account: string, orderId: string, kind: 'itemfulfillment' | 'cashsale' | 'invoice'): string {
  return join(['lb', platform, account, orderId, kind]);
}

/** externalId of a customer we create for a storefront's buyer (keyed by email, else the platform's customer id). */
export function customerExternalId(platform: Platform, account: string, key: string): string {
  return join(['lb', platform, account, 'customer', key.toLowerCase()]);
}

/**
 * Idempotency key for posting one NetSuite refund record to a storefront (NetSuite -> storefront): the same
 * NetSuite record never produces two storefront refunds.
 */
export function storefrontRefundKey(platform: Platform, account: string, recordType: string, internalId: string): string {
  return join(['lb', 'ns', recordType, internalId, platform, account]);
}
