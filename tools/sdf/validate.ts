/**
 * Static SDF validator. SDF's own validation only runs on NetSuite's servers (suitecloud project:validate needs an
 * account), so this checks offline what a deploy would reject: well-formed and consistent manifest/deploy files,
 * object names and prefixes, referenced script files, @NScriptType against the object type, the entry points the
 * compiled file exports, define() discipline and module dependencies, the features the manifest declares, and
 * that the manifest agrees with the project card (suitecloud.project.json) when there is one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { children, fileCabinetPath, loadSdfProject, text, type Finding, type SdfObject } from './project';
import { compareManifest, findCardFor, readCard } from './project-card';
import { analyzeScript } from './script-file';
import {
  API_VERSIONS,
  DEPLOYMENT_STATUSES,
  LOG_LEVELS,
  MAX_ID_LENGTH,
  MODULE_SCOPES,
  PREFIXES,
  SCRIPT_OBJECT_TYPES,
  featuresFor,
} from './rules';

export type { Finding } from './project';

export interface ValidationResult {
  ok: boolean;
  errors: Finding[];
  /** Files checked, for the summary line. */
  objectCount: number;
  scriptFileCount: number;
}

function checkId(findings: Finding[], file: string, kind: string, id: string): void {
  const prefix = PREFIXES[kind];
  if (!id) {
    findings.push({ file, code: 'SCRIPTID_MISSING', message: `<${kind}> has no scriptid attribute` });
    return;
  }
  if (id.length > MAX_ID_LENGTH) {
    findings.push({
      file,
      code: 'SCRIPTID_TOO_LONG',
      message: `scriptid "${id}" has ${id.length} characters; the limit is ${MAX_ID_LENGTH}`,
    });
  }
  if (!/^[a-z0-9_]+$/.test(id)) {
    findings.push({
      file,
      code: 'SCRIPTID_CHARACTERS',
      message: `scriptid "${id}" must be lower-case letters, digits and underscores`,
    });
  }
  if (prefix && !id.startsWith(prefix)) {
    findings.push({
      file,
      code: 'SCRIPTID_PREFIX',
      message: `scriptid "${id}" of <${kind}> must start with "${prefix}"`,
    });
  }
}

function checkDependency(
  findings: Finding[],
  projectDir: string,
  scriptAbs: string,
  scriptRel: string,
  dep: string,
): void {
  if (dep === 'require' || dep === 'exports' || dep === 'module') return;
  if (/^N\/[A-Za-z0-9/]+$/.test(dep) || dep === 'N') return;
  let target: string | null = null;
  if (dep.startsWith('./') || dep.startsWith('../')) target = path.resolve(path.dirname(scriptAbs), dep);
  else if (dep.startsWith('/')) target = path.join(projectDir, 'FileCabinet', dep);
  if (!target) {
    findings.push({
      file: scriptRel,
      code: 'FOREIGN_DEPENDENCY',
      message: `depends on "${dep}", which is neither an N/* module nor a file of the bundle (npm packages do not exist inside NetSuite)`,
    });
    return;
  }
  const withJs = target.endsWith('.js') ? target : `${target}.js`;
  if (!fs.existsSync(withJs)) {
    findings.push({
      file: scriptRel,
      code: 'DEPENDENCY_MISSING',
      message: `depends on "${dep}", but ${path.relative(projectDir, withJs).split(path.sep).join('/')} does not exist`,
    });
  }
}

function checkScriptObject(findings: Finding[], projectDir: string, obj: SdfObject, checkedFiles: Set<string>): void {
  const spec = SCRIPT_OBJECT_TYPES[obj.kind];
  if (!spec) return;
  const ref = text(obj.body, 'scriptfile');
  if (!ref) {
    findings.push({ file: obj.file, code: 'SCRIPTFILE_MISSING', message: `<${obj.kind}> has no <scriptfile>` });
    return;
  }
  const abs = fileCabinetPath(projectDir, ref);
  if (!abs) {
    findings.push({
      file: obj.file,
      code: 'SCRIPTFILE_REFERENCE',
      message: `<scriptfile>${ref}</scriptfile> must be a File Cabinet path in brackets, e.g. [/SuiteScripts/x.js]`,
    });
    return;
  }
  if (!fs.existsSync(abs)) {
    findings.push({
      file: obj.file,
      code: 'SCRIPTFILE_NOT_FOUND',
      message: `<scriptfile>${ref}</scriptfile> does not exist under FileCabinet (run npm run build?)`,
    });
    return;
  }
  const rel = path.relative(projectDir, abs).split(path.sep).join('/');
  checkedFiles.add(abs);
  const analysis = analyzeScript(fs.readFileSync(abs, 'utf8'), abs);
  for (const e of analysis.syntaxErrors.slice(0, 3)) {
    findings.push({ file: rel, code: 'SYNTAX_ERROR', message: `syntax error: ${e}` });
  }
  const { tags } = analysis;
  if (!tags.apiVersion) {
    findings.push({ file: rel, code: 'INVALID_API_VERSION', message: 'the tag block has no @NApiVersion' });
  } else if (!API_VERSIONS.includes(tags.apiVersion)) {
    findings.push({
      file: rel,
      code: 'INVALID_API_VERSION',
      message: `@NApiVersion ${tags.apiVersion} is not one of ${API_VERSIONS.join(', ')}`,
    });
  }
  if (!tags.scriptType) {
    findings.push({ file: rel, code: 'MISSING_SCRIPT_TYPE', message: 'the tag block has no @NScriptType' });
  } else if (tags.scriptType !== spec.scriptType) {
    findings.push({
      file: rel,
      code: 'SCRIPT_TYPE_MISMATCH',
      message: `@NScriptType ${tags.scriptType} does not match <${obj.kind}> in ${obj.file} (expected ${spec.scriptType})`,
    });
  }
  if (tags.moduleScope && !MODULE_SCOPES.includes(tags.moduleScope)) {
    findings.push({
      file: rel,
      code: 'INVALID_MODULE_SCOPE',
      message: `@NModuleScope ${tags.moduleScope} is not one of ${MODULE_SCOPES.join(', ')}`,
    });
  }
  if ((tags.apiVersion || tags.scriptType) && !analysis.tagsFirst) {
    findings.push({ file: rel, code: 'TAGS_NOT_FIRST', message: 'the @NApiVersion tag block must open the file' });
  }
  if (analysis.defineCalls !== 1) {
    findings.push({
      file: rel,
      code: analysis.defineCalls === 0 ? 'MISSING_DEFINE' : 'MULTIPLE_DEFINE_CALLS',
      message: `define() must be called exactly once; found ${analysis.defineCalls}`,
    });
  }
  if (analysis.strayStatements > 0) {
    findings.push({
      file: rel,
      code: 'CODE_OUTSIDE_DEFINE',
      message: `${analysis.strayStatements} statement(s) outside define(); helper code must live inside the module`,
    });
  }
  for (const dep of analysis.dependencies) checkDependency(findings, projectDir, abs, rel, dep);
  const missingRequired = (spec.required ?? []).filter((e) => !analysis.exports.includes(e));
  if (missingRequired.length > 0) {
    findings.push({
      file: rel,
      code: 'MISSING_ENTRY_POINT',
      message: `a ${spec.scriptType} must export ${missingRequired.join(', ')}; it exports ${analysis.exports.join(', ') || 'nothing'}`,
    });
  }
  const optionalSet = spec.entryPoints.filter((e) => !(spec.required ?? []).includes(e));
  if (optionalSet.length > 0 && !optionalSet.some((e) => analysis.exports.includes(e))) {
    findings.push({
      file: rel,
      code: 'MISSING_ENTRY_POINT',
      message: `a ${spec.scriptType} must export at least one of ${optionalSet.join(', ')}; it exports ${analysis.exports.join(', ') || 'nothing'}`,
    });
  }

  const deployments = children(obj.body, 'scriptdeployments', 'scriptdeployment');
  for (const d of deployments) {
    const id = typeof d['@_scriptid'] === 'string' ? d['@_scriptid'] : '';
    checkId(findings, obj.file, 'scriptdeployment', id);
    const status = text(d, 'status');
    if (status && !DEPLOYMENT_STATUSES.includes(status)) {
      findings.push({
        file: obj.file,
        code: 'DEPLOYMENT_STATUS',
        message: `deployment ${id}: <status>${status}</status> is not one of ${DEPLOYMENT_STATUSES.join(', ')}`,
      });
    }
    const level = text(d, 'loglevel');
    if (level && !LOG_LEVELS.includes(level)) {
      findings.push({
        file: obj.file,
        code: 'DEPLOYMENT_LOGLEVEL',
        message: `deployment ${id}: <loglevel>${level}</loglevel> is not one of ${LOG_LEVELS.join(', ')}`,
      });
    }
    if (obj.kind === 'usereventscript' && !text(d, 'recordtype')) {
      findings.push({
        file: obj.file,
        code: 'DEPLOYMENT_RECORDTYPE',
        message: `deployment ${id}: a User Event deployment needs a <recordtype>`,
      });
    }
  }
  for (const p of children(obj.body, 'scriptcustomfields', 'scriptcustomfield')) {
    checkId(findings, obj.file, 'scriptcustomfield', typeof p['@_scriptid'] === 'string' ? p['@_scriptid'] : '');
  }
}

export interface ValidateOptions {
  /**
   * The project card (suitecloud.project.json) the manifest must agree with. Default: the card in the project
   * folder's parent when its projectFolder names this folder; null: no card check.
   */
  card?: string | null;
}

export function validateProject(projectDir: string, options: ValidateOptions = {}): ValidationResult {
  const project = loadSdfProject(projectDir);
  const findings: Finding[] = [...project.findings];
  const { manifest, deployPaths, objects } = project;

  const cardFile = options.card === undefined ? findCardFor(projectDir) : options.card;
  if (cardFile) {
    const { card, findings: cardFindings } = readCard(cardFile);
    findings.push(...cardFindings);
    if (card && manifest) findings.push(...compareManifest(manifest, card));
  }

  if (manifest) {
    if (!['ACCOUNTCUSTOMIZATION', 'SUITEAPP'].includes(manifest.projectType)) {
      findings.push({
        file: 'manifest.xml',
        code: 'MANIFEST_PROJECTTYPE',
        message: `projecttype "${manifest.projectType}" must be ACCOUNTCUSTOMIZATION or SUITEAPP`,
      });
    }
    if (!manifest.projectName) {
      findings.push({ file: 'manifest.xml', code: 'MANIFEST_PROJECTNAME', message: '<projectname> is missing or empty' });
    }
    if (manifest.frameworkVersion !== '1.0') {
      findings.push({
        file: 'manifest.xml',
        code: 'MANIFEST_FRAMEWORKVERSION',
        message: `<frameworkversion> must be 1.0 (found "${manifest.frameworkVersion}")`,
      });
    }
    if (manifest.projectType === 'SUITEAPP') {
      for (const key of ['publisherid', 'projectid', 'projectversion']) {
        if (!text(manifest.body, key)) {
          findings.push({ file: 'manifest.xml', code: 'MANIFEST_SUITEAPP', message: `a SUITEAPP manifest needs <${key}>` });
        }
      }
    }
  }

  if (deployPaths) {
    const listed = (section: string, prefix: string): boolean =>
      deployPaths.some((p) => p.section === section && p.path.startsWith(prefix));
    for (const p of deployPaths) {
      if (!p.path.startsWith('~/')) {
        findings.push({ file: 'deploy.xml', code: 'DEPLOY_PATH', message: `<path>${p.path}</path> must start with ~/` });
        continue;
      }
      const base = p.path.slice(2).replace(/\/?\*$/, '');
      if (!fs.existsSync(path.join(projectDir, base))) {
        findings.push({
          file: 'deploy.xml',
          code: 'DEPLOY_PATH_NOT_FOUND',
          message: `<path>${p.path}</path> names ${base}, which does not exist in the project`,
        });
      }
    }
    if (objects.length > 0 && !listed('objects', '~/Objects')) {
      findings.push({
        file: 'deploy.xml',
        code: 'DEPLOY_OBJECTS_NOT_LISTED',
        message: 'Objects/ holds objects but deploy.xml has no <objects><path>~/Objects/*</path></objects>',
      });
    }
    const hasScripts = objects.some((o) => o.kind in SCRIPT_OBJECT_TYPES);
    if (hasScripts && !listed('files', '~/FileCabinet')) {
      findings.push({
        file: 'deploy.xml',
        code: 'DEPLOY_FILES_NOT_LISTED',
        message: 'scripts reference File Cabinet files but deploy.xml has no <files><path>~/FileCabinet/*</path></files>',
      });
    }
  }

  const seen = new Map<string, string>();
  const remember = (id: string, file: string): void => {
    if (!id) return;
    const prior = seen.get(id);
    if (prior) {
      findings.push({ file, code: 'SCRIPTID_DUPLICATE', message: `scriptid "${id}" is also defined in ${prior}` });
    } else seen.set(id, file);
  };
  const checkedFiles = new Set<string>();
  for (const obj of objects) {
    if (!(obj.kind in PREFIXES)) {
      findings.push({ file: obj.file, code: 'OBJECT_KIND_UNKNOWN', message: `<${obj.kind}> is not an object type this validator knows` });
    }
    checkId(findings, obj.file, obj.kind, obj.scriptid);
    const expectedName = `${obj.scriptid}.xml`;
    if (obj.scriptid && path.basename(obj.file) !== expectedName) {
      findings.push({
        file: obj.file,
        code: 'FILENAME_MISMATCH',
        message: `the file must be named after its scriptid: ${expectedName}`,
      });
    }
    remember(obj.scriptid, obj.file);
    for (const d of children(obj.body, 'scriptdeployments', 'scriptdeployment')) {
      remember(typeof d['@_scriptid'] === 'string' ? d['@_scriptid'] : '', obj.file);
    }
    for (const f of children(obj.body, 'customrecordcustomfields', 'customrecordcustomfield')) {
      const id = typeof f['@_scriptid'] === 'string' ? f['@_scriptid'] : '';
      checkId(findings, obj.file, 'customrecordcustomfield', id);
      remember(id, obj.file);
    }
    checkScriptObject(findings, projectDir, obj, checkedFiles);
    if (manifest) {
      for (const feature of featuresFor(obj.kind)) {
        if (!manifest.features.some((f) => f.id === feature)) {
          findings.push({
            file: 'manifest.xml',
            code: 'FEATURE_NOT_DECLARED',
            message: `${obj.file} (<${obj.kind}>) needs feature ${feature}, which <dependencies><features> does not declare`,
          });
        }
      }
    }
  }
  const unique = dedupe(findings);
  return { ok: unique.length === 0, errors: unique, objectCount: objects.length, scriptFileCount: checkedFiles.size };
}

function dedupe(findings: Finding[]): Finding[] {
  const keys = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.file}\u0000${f.code}\u0000${f.message}`;
    if (keys.has(k)) return false;
    keys.add(k);
    return true;
  });
}

export function formatFinding(f: Finding): string {
  return `${f.file}: ${f.code}: ${f.message}`;
}
