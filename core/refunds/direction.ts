/**
 * Which way refunds flow for one storefront account. Exactly one direction (or off) per account: syncing both ways
 * on one account is how refunds get posted twice (the NetSuite copy of a storefront refund would be pushed back as
 * a second refund), so contradictory settings are refused up front rather than handled at run time.
 */
import { PLATFORMS, type Platform } from '../orders/types';
import { type RefundRuleError, type Result, fail, ok } from './errors';

export type RefundDirection = 'platform_to_netsuite' | 'netsuite_to_platform' | 'off';

export const REFUND_DIRECTIONS: readonly RefundDirection[] = ['platform_to_netsuite', 'netsuite_to_platform', 'off'];

/** Marketplaces refund in the marketplace; carts refund in NetSuite. */
export function isMarketplace(platform: Platform): boolean {
  return platform === 'amazon' || platform === 'ebay';
}

/** The default: marketplaces (Amazon, eBay) storefront -> NetSuite; carts (Shopify, Magento) NetSuite -> storefront. */
export function defaultDirection(platform: Platform): RefundDirection {
  return isMarketplace(platform) ? 'platform_to_netsuite' : 'netsuite_to_platform';
}

/** Amazon has no seller refund API (refunds are made in Seller Central), so nothing can be pushed to it. */
export function supportsDirection(platform: Platform, direction: RefundDirection): boolean {
  return !(platform === 'amazon' && direction === 'netsuite_to_platform');
}

/**
 * Refund settings for one storefront account as a user or a config file states them. Either `direction`, or the
 * two switches some users think in; all three are optional and default per platform.
 */
export interface RefundAccountSettingsInput {
  platform: string;
  account: string;
  direction?: string;
  /** "Import refunds made on the storefront into NetSuite." */
  importStorefrontRefunds?: boolean;
  /** "Post refunds made in NetSuite to the storefront." */
  exportNetSuiteRefunds?: boolean;
}

export interface RefundAccountSettings {
  platform: Platform;
  account: string;
  direction: RefundDirection;
}

function directionFromSwitches(input: RefundAccountSettingsInput): RefundDirection | undefined {
  const { importStorefrontRefunds: inbound, exportNetSuiteRefunds: outbound } = input;
  if (inbound === undefined && outbound === undefined) return undefined;
  if (inbound === true) return 'platform_to_netsuite';
  if (outbound === true) return 'netsuite_to_platform';
  return 'off';
}

/** Resolves and checks one account's settings. */
export function resolveRefundSettings(input: RefundAccountSettingsInput, path = ''): Result<RefundAccountSettings> {
  const platform = input.platform as Platform;
  if (!PLATFORMS.includes(platform)) {
    return fail('unknown_platform', `Unknown platform '${input.platform}'; expected one of ${PLATFORMS.join(', ')}.`, `${path}platform`);
  }
  if (input.importStorefrontRefunds === true && input.exportNetSuiteRefunds === true) {
    return fail(
      'direction_conflict',
      `${platform} account '${input.account}' is set to sync refunds both ways; choose one direction: ` +
        'refunds made on the storefront go to NetSuite, or refunds made in NetSuite go to the storefront.',
      path.replace(/\.$/, ''),
    );
  }
  let stated: RefundDirection | undefined;
  if (input.direction !== undefined) {
    if (!REFUND_DIRECTIONS.includes(input.direction as RefundDirection)) {
      return fail('invalid_direction', `Refund direction '${input.direction}' is not one of ${REFUND_DIRECTIONS.join(', ')}.`, `${path}direction`);
    }
    stated = input.direction as RefundDirection;
  }
  const switched = directionFromSwitches(input);
  if (stated !== undefined && switched !== undefined && stated !== switched) {
    return fail(
      'direction_conflict',
      `${platform} account '${input.account}' has direction '${stated}' but its switches say '${switched}'; keep one.`,
      path.replace(/\.$/, ''),
    );
  }
  const direction = stated ?? switched ?? defaultDirection(platform);
  if (!supportsDirection(platform, direction)) {
    return fail(
      'direction_unsupported',
      'Amazon has no seller refund API: refunds are made in Seller Central and synced Amazon -> NetSuite. ' +
        `Set account '${input.account}' to 'platform_to_netsuite' or 'off'.`,
      `${path}direction`,
    );
  }
  return ok({ platform, account: input.account, direction });
}

/**
 * Validates every account's settings together: each one alone, and no account listed twice with different
 * directions (which would be both directions by another route). Returns the first problem found.
 */
export function validateRefundSettings(inputs: readonly RefundAccountSettingsInput[]): Result<RefundAccountSettings[]> {
  const resolved: RefundAccountSettings[] = [];
  const seen = new Map<string, RefundAccountSettings>();
  for (const [index, input] of inputs.entries()) {
    const result = resolveRefundSettings(input, `accounts[${index}].`);
    if (!result.ok) return result;
    const key = `${result.value.platform}\u0000${result.value.account}`;
    const earlier = seen.get(key);
    if (earlier && earlier.direction !== result.value.direction) {
      const error: RefundRuleError = {
        code: 'direction_conflict',
        message: `${result.value.platform} account '${result.value.account}' is listed twice with directions ` +
          `'${earlier.direction}' and '${result.value.direction}'; keep one.`,
        path: `accounts[${index}]`,
      };
      return { ok: false, error };
    }
    if (!earlier) {
      seen.set(key, result.value);
      resolved.push(result.value);
    }
  }
  return ok(resolved);
}

/** Whether a refund that originated on `side` should be synced under `direction`. */
export function shouldSync(direction: RefundDirection, side: 'storefront' | 'netsuite'): boolean {
  return side === 'storefront' ? direction === 'platform_to_netsuite' : direction === 'netsuite_to_platform';
}
