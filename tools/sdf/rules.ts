/** SDF naming and script-type rules (reference/netsuite-platform.md sections 3.1 and 4). */

/** Script object root element -> @NScriptType value and the entry points that type implements. */
export const SCRIPT_OBJECT_TYPES: Record<string, { scriptType: string; entryPoints: string[]; required?: string[] }> = {
  usereventscript: { scriptType: 'UserEventScript', entryPoints: ['beforeLoad', 'beforeSubmit', 'afterSubmit'] },
  restlet: { scriptType: 'Restlet', entryPoints: ['get', 'post', 'put', 'delete'] },
  mapreducescript: {
    scriptType: 'MapReduceScript',
    entryPoints: ['map', 'reduce'],
    required: ['getInputData'],
  },
  scheduledscript: { scriptType: 'ScheduledScript', entryPoints: ['execute'], required: ['execute'] },
  suitelet: { scriptType: 'Suitelet', entryPoints: ['onRequest'], required: ['onRequest'] },
  clientscript: {
    scriptType: 'ClientScript',
    entryPoints: [
      'pageInit',
      'fieldChanged',
      'postSourcing',
      'sublistChanged',
      'lineInit',
      'validateField',
      'validateLine',
      'validateInsert',
      'validateDelete',
      'saveRecord',
      'localizationContextEnter',
      'localizationContextExit',
    ],
  },
  massupdatescript: { scriptType: 'MassUpdateScript', entryPoints: ['each'], required: ['each'] },
  portlet: { scriptType: 'Portlet', entryPoints: ['render'], required: ['render'] },
  workflowactionscript: { scriptType: 'WorkflowActionScript', entryPoints: ['onAction'], required: ['onAction'] },
  bundleinstallationscript: {
    scriptType: 'BundleInstallationScript',
    entryPoints: ['beforeInstall', 'afterInstall', 'beforeUpdate', 'afterUpdate', 'beforeUninstall'],
  },
};

/** Root element (or nested element) -> required scriptid prefix. */
export const PREFIXES: Record<string, string> = {
  usereventscript: 'customscript_',
  restlet: 'customscript_',
  mapreducescript: 'customscript_',
  scheduledscript: 'customscript_',
  suitelet: 'customscript_',
  clientscript: 'customscript_',
  massupdatescript: 'customscript_',
  portlet: 'customscript_',
  workflowactionscript: 'customscript_',
  bundleinstallationscript: 'customscript_',
  scriptdeployment: 'customdeploy',
  scriptcustomfield: 'custscript',
  customrecordtype: 'customrecord_',
  customrecordcustomfield: 'custrecord',
  customlist: 'customlist_',
  transactionbodycustomfield: 'custbody_',
  transactioncolumncustomfield: 'custcol_',
  entitycustomfield: 'custentity_',
  itemcustomfield: 'custitem_',
  savedsearch: 'customsearch_',
  role: 'customrole_',
  workflow: 'customworkflow_',
  subtab: 'custtab_',
  emailtemplate: 'custemailtmpl_',
  advancedpdftemplate: 'custtmpl_',
  secret: 'custsecret_',
  integration: 'custinteg',
  customtransactiontype: 'customtransaction_',
};

/** Object kinds -> the account features their deployment needs (manifest <dependencies><features>). */
export function featuresFor(kind: string): string[] {
  if (kind in SCRIPT_OBJECT_TYPES) return ['SERVERSIDESCRIPTING'];
  if (kind === 'customrecordtype') return ['CUSTOMRECORDS'];
  return [];
}

export const API_VERSIONS = ['2.0', '2.1', '2.x', '2.X'];
export const MODULE_SCOPES = ['SameAccount', 'TargetAccount', 'Public'];
export const DEPLOYMENT_STATUSES = ['TESTING', 'RELEASED', 'NOTSCHEDULED', 'SCHEDULED', 'NOTINITIATED', 'COMPLETED'];
export const LOG_LEVELS = ['AUDIT', 'DEBUG', 'EMERGENCY', 'ERROR', 'INTERNAL', 'SYSTEM'];
export const MAX_ID_LENGTH = 40;
