/** Gateway to N/runtime: the account and its features. */
import * as runtime from 'N/runtime';
import type { BundleFeature } from '../../core/contracts/restlet';

export function accountId(): string {
  return runtime.accountId;
}

export function isFeatureOn(feature: BundleFeature): boolean {
  return runtime.isFeatureInEffect({ feature });
}

export function scriptParameter(name: string): string {
  const value = runtime.getCurrentScript().getParameter({ name });
  return value === null || value === undefined ? '' : String(value);
}
