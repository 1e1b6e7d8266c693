/**
 * Reads an SDF project folder (the one suitecloud.config.js names, "src") into plain data: manifest, deploy
 * paths and every object under Objects/. Used by the static validator and by the local NetSuite account to
 * discover scripts, deployments, parameters and custom records. Parsing never throws on bad XML: problems
 * are returned as findings so the validator can name the file and the defect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Finding {
  /** Path relative to the project folder, e.g. "Objects/customscript_x.xml". */
  file: string;
  code: string;
  message: string;
}

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

export interface SdfObject {
  /** File name relative to the project folder. */
  file: string;
  /** Root element, e.g. "restlet", "usereventscript", "customrecordtype". */
  kind: string;
  scriptid: string;
  body: XmlNode;
}

export interface Manifest {
  projectType: string;
  projectName: string;
  frameworkVersion: string;
  features: { id: string; required: boolean }[];
  body: XmlNode;
}

export interface SdfProject {
  dir: string;
  manifest: Manifest | null;
  deployPaths: { section: string; path: string }[] | null;
  objects: SdfObject[];
  findings: Finding[];
}

const ARRAY_TAGS = new Set([
  'scriptdeployment',
  'scriptcustomfield',
  'customrecordcustomfield',
  'feature',
  'path',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

export function parseXml(text: string): { ok: true; doc: XmlNode } | { ok: false; message: string } {
  const check = XMLValidator.validate(text);
  if (check !== true) {
    // The parser leaves the column out for some errors (an empty document): name only what it knows.
    const where = check.err.col === undefined ? `line ${check.err.line}` : `line ${check.err.line}, column ${check.err.col}`;
    return { ok: false, message: `${check.err.msg} (${where})` };
  }
  return { ok: true, doc: parser.parse(text) as XmlNode };
}

/** The single root element of a parsed document (ignoring the XML declaration). */
export function rootOf(doc: XmlNode): { name: string; node: XmlNode } | null {
  const names = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (names.length !== 1) return null;
  const name = names[0] as string;
  const value = doc[name];
  // Two root elements of the same name parse as one key holding an array: still not one root.
  if (Array.isArray(value)) return null;
  return { name, node: typeof value === 'object' && value !== null ? value : {} };
}

export function text(node: XmlNode | undefined, key: string): string {
  const v = node?.[key];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v['#text'] === 'string') return v['#text'];
  return '';
}

export function children(node: XmlNode | undefined, container: string, item: string): XmlNode[] {
  const c = node?.[container];
  if (!c || typeof c !== 'object' || Array.isArray(c)) return [];
  const items = c[item];
  if (!Array.isArray(items)) return [];
  return items.filter((x): x is XmlNode => typeof x === 'object' && x !== null && !Array.isArray(x));
}

function readManifest(dir: string, findings: Finding[]): Manifest | null {
  const file = path.join(dir, 'manifest.xml');
  if (!fs.existsSync(file)) {
    findings.push({ file: 'manifest.xml', code: 'MANIFEST_MISSING', message: 'manifest.xml is missing' });
    return null;
  }
  const parsed = parseXml(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) {
    findings.push({ file: 'manifest.xml', code: 'XML_MALFORMED', message: `not well-formed XML: ${parsed.message}` });
    return null;
  }
  const root = rootOf(parsed.doc);
  if (!root || root.name !== 'manifest') {
    findings.push({ file: 'manifest.xml', code: 'MANIFEST_ROOT', message: 'root element must be <manifest>' });
    return null;
  }
  const deps = root.node['dependencies'];
  const rawFeatures =
    deps && typeof deps === 'object' && !Array.isArray(deps) ? (deps['features'] as XmlNode | undefined) : undefined;
  const featureValues = Array.isArray(rawFeatures?.['feature']) ? (rawFeatures?.['feature'] as XmlValue[]) : [];
  const features = featureValues.map((f) =>
    typeof f === 'string'
      ? { id: f.trim(), required: true }
      : { id: text(f as XmlNode, '#text').trim(), required: (f as XmlNode)['@_required'] !== 'false' },
  );
  return {
    projectType: typeof root.node['@_projecttype'] === 'string' ? root.node['@_projecttype'] : '',
    projectName: text(root.node, 'projectname'),
    frameworkVersion: text(root.node, 'frameworkversion'),
    features,
    body: root.node,
  };
}

function readDeploy(dir: string, findings: Finding[]): { section: string; path: string }[] | null {
  const file = path.join(dir, 'deploy.xml');
  if (!fs.existsSync(file)) {
    findings.push({ file: 'deploy.xml', code: 'DEPLOY_MISSING', message: 'deploy.xml is missing' });
    return null;
  }
  const parsed = parseXml(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) {
    findings.push({ file: 'deploy.xml', code: 'XML_MALFORMED', message: `not well-formed XML: ${parsed.message}` });
    return null;
  }
  const root = rootOf(parsed.doc);
  if (!root || root.name !== 'deploy') {
    findings.push({ file: 'deploy.xml', code: 'DEPLOY_ROOT', message: 'root element must be <deploy>' });
    return null;
  }
  const out: { section: string; path: string }[] = [];
  for (const [section, value] of Object.entries(root.node)) {
    if (section.startsWith('@_') || typeof value !== 'object' || Array.isArray(value)) continue;
    const paths = value['path'];
    for (const p of Array.isArray(paths) ? paths : []) if (typeof p === 'string') out.push({ section, path: p });
  }
  return out;
}

function readObjects(dir: string, findings: Finding[]): SdfObject[] {
  const objectsDir = path.join(dir, 'Objects');
  if (!fs.existsSync(objectsDir)) return [];
  const out: SdfObject[] = [];
  const walk = (abs: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      if (!entry.name.endsWith('.xml')) continue;
      const rel = path.relative(dir, full).split(path.sep).join('/');
      const parsed = parseXml(fs.readFileSync(full, 'utf8'));
      if (!parsed.ok) {
        findings.push({ file: rel, code: 'XML_MALFORMED', message: `not well-formed XML: ${parsed.message}` });
        continue;
      }
      const root = rootOf(parsed.doc);
      if (!root) {
        findings.push({ file: rel, code: 'OBJECT_ROOT', message: 'an object file must have exactly one root element' });
        continue;
      }
      const scriptid = root.node['@_scriptid'];
      out.push({ file: rel, kind: root.name, scriptid: typeof scriptid === 'string' ? scriptid : '', body: root.node });
    }
  };
  walk(objectsDir);
  return out;
}

export function loadSdfProject(dir: string): SdfProject {
  const findings: Finding[] = [];
  const manifest = readManifest(dir, findings);
  const deployPaths = readDeploy(dir, findings);
  const objects = readObjects(dir, findings);
  return { dir, manifest, deployPaths, objects, findings };
}

/** Resolves an SDF file reference like "[/SuiteScripts/x.js]" to an absolute path under FileCabinet. */
export function fileCabinetPath(projectDir: string, reference: string): string | null {
  const m = /^\[(\/.+)\]$/.exec(reference.trim());
  if (!m || !m[1]) return null;
  return path.join(projectDir, 'FileCabinet', ...m[1].split('/').filter(Boolean));
}
