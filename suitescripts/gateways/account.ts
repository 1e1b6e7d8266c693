/** Gateway to N/runtime: the account, its features, the running script's parameters and governance. */
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

/** Units left in this execution (0 units to ask). */
export function remainingUsage(): number {
  return runtime.getCurrentScript().getRemainingUsage();
}

/** What triggered the current script ('RESTLET', 'USERINTERFACE' …). */
export function executionContext(): string {
  return String(runtime.executionContext);
}
