/**
 * N/runtime: the current script (id, deploymentId, parameters, remaining usage), execution context, features,
 * account id and environment. None of these calls cost units (reference 1.1).
 */
import type { ExecutionSlot } from '../runtime/execution';
import { SuiteScriptError } from '../runtime/errors';

export const ContextType = {
  ACTION: 'ACTION',
  ADVANCED_REVREC: 'ADVANCEDREVREC',
  BANKCONNECTIVITY: 'BANKCONNECTIVITY',
  BANKSTATEMENTPARSER: 'BANKSTATEMENTPARSER',
  BUNDLE_INSTALLATION: 'BUNDLEINSTALLATION',
  CLIENT: 'CLIENT',
  CONSOLRATEADJUSTOR: 'CONSOLRATEADJUSTOR',
  CSV_IMPORT: 'CSVIMPORT',
  CUSTOMGLLINES: 'CUSTOMGLLINES',
  CUSTOM_MASSUPDATE: 'CUSTOMMASSUPDATE',
  DATASETBUILDER: 'DATASETBUILDER',
  DEBUGGER: 'DEBUGGER',
  EMAIL_CAPTURE: 'EMAILCAPTURE',
  FICONNECTIVITY: 'FICONNECTIVITY',
  FIPARSER: 'FIPARSER',
  MAP_REDUCE: 'MAPREDUCE',
  OCR_PLUGIN: 'OCRPLUGIN',
  OTHER: 'OTHER',
  PAYMENTGATEWAY: 'PAYMENTGATEWAY',
  PAYMENTPOSTBACK: 'PAYMENTPOSTBACK',
  PLATFORMEXTENSION: 'PLATFORMEXTENSION',
  PORTLET: 'PORTLET',
  PROMOTIONS: 'PROMOTIONS',
  RECORDACTION: 'RECORDACTION',
  RESTLET: 'RESTLET',
  REST_WEBSERVICES: 'RESTWEBSERVICES',
  SCHEDULED: 'SCHEDULED',
  SDF_INSTALLATION: 'SDFINSTALLATION',
  SHIPPING_PARTNERS: 'SHIPPINGPARTNERS',
  SUITELET: 'SUITELET',
  TAX_CALCULATION: 'TAXCALCULATION',
  USEREVENT: 'USEREVENT',
  USER_INTERFACE: 'USERINTERFACE',
  WEBSERVICES: 'WEBSERVICES',
  WORKBOOKBUILDER: 'WORKBOOKBUILDER',
  WORKFLOW: 'WORKFLOW',
} as const;

const EnvType = { SANDBOX: 'SANDBOX', PRODUCTION: 'PRODUCTION', BETA: 'BETA', INTERNAL: 'INTERNAL' } as const;
const Permission = { NONE: 0, VIEW: 1, CREATE: 2, EDIT: 3, FULL: 4 } as const;

/** A parameter's stored string as getParameter returns it, typed by the parameter's field type. */
function typedParameter(value: string | undefined, fieldType: string): unknown {
  if (value === undefined || value === '') return fieldType === 'CHECKBOX' ? false : null;
  switch (fieldType) {
    case 'CHECKBOX':
      return value === 'T' || value === 'true';
    case 'INTEGER':
    case 'FLOAT':
    case 'CURRENCY':
    case 'PERCENT':
      return Number(value);
    default:
      return value;
  }
}

export function createRuntimeModule(slot: ExecutionSlot): Record<string, unknown> {
  const script = () => {
    const exec = slot.current;
    return {
      id: exec.script.scriptId,
      deploymentId: exec.deployment.deployId,
      logLevel: exec.deployment.logLevel,
      apiVersion: '2.1',
      bundleIds: [] as string[],
      percentComplete: 0,
      getParameter(options: { name?: unknown } | string | undefined) {
        const name = typeof options === 'string' ? options : options?.name;
        if (!name) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'Script.getParameter: options.name is required.');
        const def = exec.script.parameters.find((p) => p.id === String(name).toLowerCase());
        if (!def) return null;
        return typedParameter(exec.parameters[def.id], def.fieldType);
      },
      getRemainingUsage() {
        return exec.meter.remaining();
      },
    };
  };
  const mod = {
    ContextType,
    EnvType,
    Permission,
    version: '2026.1',
    processorCount: 1,
    queueCount: 1,
    getCurrentScript: script,
    getCurrentUser() {
      return {
        id: -4,
        name: 'Local account administrator',
        email: 'admin@localhost',
        role: 3,
        roleId: 'administrator',
        roleCenter: 'BASIC',
        department: 0,
        location: 0,
        subsidiary: 1,
        contact: 0,
        getPermission: () => Permission.FULL,
        getPreference: () => null,
      };
    },
    getCurrentSession() {
      const data = new Map<string, string>();
      return { get: (o: { name: string }) => data.get(o.name) ?? null, set: (o: { name: string; value: string }) => void data.set(o.name, o.value) };
    },
    isFeatureInEffect(options: { feature?: unknown } | undefined) {
      if (!options?.feature) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'runtime.isFeatureInEffect: options.feature is required.');
      return slot.current.host.isFeatureInEffect(String(options.feature).toUpperCase());
    },
  };
  Object.defineProperties(mod, {
    accountId: { enumerable: true, get: () => slot.current.host.accountId },
    envType: { enumerable: true, get: () => slot.current.host.envType },
    executionContext: { enumerable: true, get: () => slot.current.executionContext },
  });
  return mod;
}
