/**
 * Health of the bundle in an account: pure, given which features are on and the deployment's parameters.
 */
import type { BundleFeature, HealthResponse, RestletAction, RestletCapability } from '../../core/contracts/restlet';
import { BUNDLE_VERSION, RESTLET_API_VERSION } from '../../core/bundle-version';

export const REQUIRED_FEATURES: readonly BundleFeature[] = ['SERVERSIDESCRIPTING', 'CUSTOMRECORDS'];

export const RESTLET_ACTIONS: readonly RestletAction[] = ['health', 'batch', 'outbox.pull', 'outbox.ack'];

/** Optional behaviours this bundle understands (contracts: RestletCapability). */
export const RESTLET_CAPABILITIES: readonly RestletCapability[] = ['lookupFirst', 'read', 'billing'];

/** The RESTlet deployment's script parameters reported by health (none of them secret). */
export const RESTLET_PARAMETERS: readonly string[] = ['custscript_lb_order_id_field'];

export function buildHealth(
  accountId: string,
  isFeatureOn: (feature: BundleFeature) => boolean,
  parameter: (id: string) => string = () => '',
): HealthResponse {
  const features = {} as Record<BundleFeature, boolean>;
  const missingFeatures: BundleFeature[] = [];
  for (const feature of REQUIRED_FEATURES) {
    const on = isFeatureOn(feature);
    features[feature] = on;
    if (!on) missingFeatures.push(feature);
  }
  const configuration: Record<string, string | null> = {};
  for (const id of RESTLET_PARAMETERS) configuration[id] = parameter(id) || null;
  return {
    ok: missingFeatures.length === 0,
    action: 'health',
    apiVersion: RESTLET_API_VERSION,
    bundleVersion: BUNDLE_VERSION,
    accountId,
    features,
    missingFeatures,
    configuration,
    actions: RESTLET_ACTIONS.slice(),
    capabilities: RESTLET_CAPABILITIES.slice(),
  };
}
