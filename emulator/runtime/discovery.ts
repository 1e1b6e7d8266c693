/**
 * Discovers what an SDF project deploys: script objects (type, script file, parameters, deployments with their
 * record types, execution contexts, status and parameter values) and the custom record types and fields the
 * record engine must know. Reads the project through tools/sdf/project.ts; nothing here knows any one bundle.
 */
import * as fs from 'node:fs';
import { children, fileCabinetPath, loadSdfProject, text, type SdfObject, type XmlNode } from '../../tools/sdf/project';
import type { CustomFieldDefinition, CustomRecordTypeDefinition } from '../records/types';
import { SuiteScriptError } from './errors';

/** SDF object root element -> the @NScriptType the script file must declare. */
export const SCRIPT_KINDS: Record<string, string> = {
  usereventscript: 'UserEventScript',
  restlet: 'Restlet',
  mapreducescript: 'MapReduceScript',
  scheduledscript: 'ScheduledScript',
  suitelet: 'Suitelet',
  clientscript: 'ClientScript',
  massupdatescript: 'MassUpdateScript',
  portlet: 'Portlet',
  workflowactionscript: 'WorkflowActionScript',
  bundleinstallationscript: 'BundleInstallationScript',
};

export interface ScriptParameterDef {
  id: string;
  fieldType: string;
  defaultValue: string | null;
}

export interface DeploymentDef {
  deployId: string;
  /** 1-based number of the deployment within its script (the `deploy=` value of a RESTlet URL). */
  number: number;
  isDeployed: boolean;
  /** RELEASED, TESTING, NOTSCHEDULED, SCHEDULED … (upper case). */
  status: string;
  logLevel: string;
  /** User Event deployments: record.Type string (lower case) or a custom record's scriptid. */
  recordType: string | null;
  /** Execution contexts the deployment runs in (upper case, e.g. USERINTERFACE); null = all. */
  executionContexts: string[] | null;
  /** Parameter values set on the deployment (custscript_* elements). */
  parameters: Record<string, string>;
  yieldAfterMins: number;
}

export interface ScriptDef {
  scriptId: string;
  /** Numeric internal id (as a string): assigned in scriptid order, starting at 1. */
  internalId: string;
  /** The @NScriptType the object kind requires. */
  scriptType: string;
  /** The SDF reference, e.g. [/SuiteScripts/x.js], and the file's path inside the File Cabinet. */
  fileRef: string;
  cabinetPath: string;
  absPath: string;
  parameters: ScriptParameterDef[];
  deployments: DeploymentDef[];
  isInactive: boolean;
}

export interface CustomFieldRegistration extends CustomFieldDefinition {
  appliesTo: 'transactionbody' | 'transactioncolumn' | 'entity' | 'item';
}

export interface ProjectDefinition {
  dir: string;
  scripts: ScriptDef[];
  customRecordTypes: CustomRecordTypeDefinition[];
  customFields: CustomFieldRegistration[];
  /** Features the manifest requires (a deploy to an account without them fails). */
  requiredFeatures: string[];
}

const FIELD_KINDS: Record<string, CustomFieldRegistration['appliesTo']> = {
  transactionbodycustomfield: 'transactionbody',
  transactioncolumncustomfield: 'transactioncolumn',
  entitycustomfield: 'entity',
  itemcustomfield: 'item',
};

/** `[scriptid=customrecord_x]` -> customrecord_x; `CASHREFUND` -> cashrefund. */
export function recordTypeRef(raw: string): string {
  const m = /^\[scriptid=([^\]]+)\]$/.exec(raw.trim());
  return (m?.[1] ?? raw.trim()).toLowerCase();
}

function field(node: XmlNode): CustomFieldDefinition {
  const def: CustomFieldDefinition = {
    id: typeof node['@_scriptid'] === 'string' ? node['@_scriptid'] : '',
    fieldType: text(node, 'fieldtype') || 'TEXT',
  };
  if (text(node, 'ismandatory') === 'T') def.mandatory = true;
  const dv = text(node, 'defaultvalue');
  if (dv) def.defaultValue = dv;
  return def;
}

function deployment(node: XmlNode, index: number, params: ScriptParameterDef[]): DeploymentDef {
  const contexts = text(node, 'executioncontext');
  const values: Record<string, string> = {};
  for (const p of params) {
    if (node[p.id] !== undefined) values[p.id] = text(node, p.id);
  }
  const recordType = text(node, 'recordtype');
  return {
    deployId: typeof node['@_scriptid'] === 'string' ? node['@_scriptid'] : '',
    number: index + 1,
    isDeployed: text(node, 'isdeployed') !== 'F',
    status: (text(node, 'status') || 'TESTING').toUpperCase(),
    logLevel: (text(node, 'loglevel') || 'DEBUG').toUpperCase(),
    recordType: recordType ? recordTypeRef(recordType) : null,
    executionContexts: contexts ? contexts.split('|').map((c) => c.trim().toUpperCase()).filter(Boolean) : null,
    parameters: values,
    yieldAfterMins: Number(text(node, 'yieldaftermins') || 60),
  };
}

function script(obj: SdfObject, projectDir: string): Omit<ScriptDef, 'internalId'> {
  const fileRef = text(obj.body, 'scriptfile');
  const absPath = fileCabinetPath(projectDir, fileRef);
  if (!absPath) {
    throw new SuiteScriptError('INVALID_SCRIPT_FILE', `${obj.file}: <scriptfile> must be a [/path] reference, got "${fileRef}".`);
  }
  const parameters = children(obj.body, 'scriptcustomfields', 'scriptcustomfield').map((n) => {
    const f = field(n);
    return { id: f.id, fieldType: f.fieldType, defaultValue: f.defaultValue ?? null };
  });
  return {
    scriptId: obj.scriptid,
    scriptType: SCRIPT_KINDS[obj.kind] ?? obj.kind,
    fileRef,
    cabinetPath: fileRef.trim().replace(/^\[|\]$/g, ''),
    absPath,
    parameters,
    deployments: children(obj.body, 'scriptdeployments', 'scriptdeployment').map((n, i) => deployment(n, i, parameters)),
    isInactive: text(obj.body, 'isinactive') === 'T',
  };
}

export function discoverProject(projectDir: string): ProjectDefinition {
  if (!fs.existsSync(projectDir)) throw new SuiteScriptError('INVALID_PROJECT', `No SDF project folder at ${projectDir}.`);
  const project = loadSdfProject(projectDir);
  const malformed = project.findings.filter((f) => f.code === 'XML_MALFORMED' || f.code === 'OBJECT_ROOT');
  if (malformed.length > 0) {
    throw new SuiteScriptError('INVALID_PROJECT', malformed.map((f) => `${f.file}: ${f.message}`).join('; '));
  }
  const scripts = project.objects
    .filter((o) => SCRIPT_KINDS[o.kind] !== undefined)
    .map((o) => script(o, projectDir))
    .sort((a, b) => a.scriptId.localeCompare(b.scriptId))
    .map((s, i) => ({ ...s, internalId: String(i + 1) }));
  const customRecordTypes = project.objects
    .filter((o) => o.kind === 'customrecordtype')
    .map((o) => ({
      scriptid: o.scriptid,
      fields: children(o.body, 'customrecordcustomfields', 'customrecordcustomfield').map(field),
    }));
  const customFields: CustomFieldRegistration[] = [];
  for (const o of project.objects) {
    const appliesTo = FIELD_KINDS[o.kind];
    if (appliesTo) customFields.push({ ...field({ ...o.body, '@_scriptid': o.scriptid }), appliesTo });
  }
  return {
    dir: projectDir,
    scripts,
    customRecordTypes,
    customFields,
    requiredFeatures: (project.manifest?.features ?? []).filter((f) => f.required).map((f) => f.id),
  };
}
