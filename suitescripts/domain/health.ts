/**
 * Health of the bundle in an account: pure, given which features are on.
 */
import type { BundleFeature, HealthResponse } from '../../core/contracts/restlet';
import { BUNDLE_VERSION, RESTLET_API_VERSION } from '../../core/bundle-version';

export const REQUIRED_FEATURES: readonly BundleFeature[] = ['SERVERSIDESCRIPTING', 'CUSTOMRECORDS'];

export function buildHealth(accountId: string, isFeatureOn: (feature: BundleFeature) => boolean): HealthResponse {
  const features = {} as Record<BundleFeature, boolean>;
  const missingFeatures: BundleFeature[] = [];
  for (const feature of REQUIRED_FEATURES) {
    const on = isFeatureOn(feature);
    features[feature] = on;
    if (!on) missingFeatures.push(feature);
  }
  return {
    ok: missingFeatures.length === 0,
    action: 'health',
    apiVersion: RESTLET_API_VERSION,
    bundleVersion: BUNDLE_VERSION,
    accountId,
    features,
    missingFeatures,
  };
}
