/**
 * The project card, suitecloud.project.json at the repository's top level: the bundle's SDF metadata in one
 * place (project folder, type, name, version, publisher and project ids, framework version, features). The build
 * writes manifest.xml and the bundle version from it (scripts/project-card.js); the validator checks that the
 * manifest agrees with it. SDF itself does not read this file (the SuiteCloud CLI reads suitecloud.config.js,
 * which takes its project folder from the card).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { text, type Finding, type Manifest } from './project';

export const CARD_FILE = 'suitecloud.project.json';

export interface ProjectCard {
  projectFolder: string;
  projectType: string;
  projectName: string;
  version: string;
  publisherId: string;
  projectId: string;
  frameworkVersion: string;
  features: { id: string; required: boolean }[];
}

/** The card beside the project folder's parent whose projectFolder names that folder, or null when none does. */
export function findCardFor(projectDir: string): string | null {
  const abs = path.resolve(projectDir);
  const file = path.join(path.dirname(abs), CARD_FILE);
  if (!fs.existsSync(file)) return null;
  try {
    const folder = (JSON.parse(fs.readFileSync(file, 'utf8')) as { projectFolder?: unknown }).projectFolder;
    if (typeof folder === 'string' && path.resolve(path.dirname(file), folder) === abs) return file;
  } catch {
    return file; // unreadable: readCard names the defect
  }
  return null;
}

export function readCard(file: string): { card: ProjectCard | null; findings: Finding[] } {
  const name = CARD_FILE;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { card: null, findings: [{ file: name, code: 'CARD_INVALID', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const findings: Finding[] = [];
  const o = (raw ?? {}) as Record<string, unknown>;
  const str = (key: string, required: boolean): string => {
    const v = o[key];
    if (typeof v === 'string' && v) return v;
    if (required) findings.push({ file: name, code: 'CARD_INVALID', message: `"${key}" must be a non-empty string` });
    return '';
  };
  const features = Array.isArray(o.features)
    ? o.features.flatMap((f) => {
        const ff = f as { id?: unknown; required?: unknown };
        if (typeof ff?.id === 'string' && typeof ff.required === 'boolean') return [{ id: ff.id, required: ff.required }];
        findings.push({ file: name, code: 'CARD_INVALID', message: '"features" entries must be { "id": string, "required": boolean }' });
        return [];
      })
    : [];
  const card: ProjectCard = {
    projectFolder: str('projectFolder', true),
    projectType: str('projectType', true),
    projectName: str('projectName', true),
    version: str('version', true),
    publisherId: str('publisherId', o.projectType === 'SUITEAPP'),
    projectId: str('projectId', o.projectType === 'SUITEAPP'),
    frameworkVersion: str('frameworkVersion', true),
    features,
  };
  if (card.version && !/^\d+\.\d+\.\d+$/.test(card.version)) {
    findings.push({ file: name, code: 'CARD_INVALID', message: `"version" ${card.version} must be MAJOR.MINOR.PATCH` });
  }
  return { card: findings.length === 0 ? card : null, findings };
}

/** Where the manifest disagrees with the card; a SuiteApp's ids and version are compared only for SUITEAPP. */
export function compareManifest(manifest: Manifest, card: ProjectCard): Finding[] {
  const out: Finding[] = [];
  const differ = (what: string, inManifest: string, inCard: string, cardKey: string): void => {
    if (inManifest === inCard) return;
    out.push({
      file: 'manifest.xml',
      code: 'MANIFEST_CARD_MISMATCH',
      message: `${what} is "${inManifest}" but ${CARD_FILE} says ${cardKey} "${inCard}" (run npm run build:suitescripts)`,
    });
  };
  differ('projecttype', manifest.projectType, card.projectType, 'projectType');
  differ('<projectname>', manifest.projectName, card.projectName, 'projectName');
  differ('<frameworkversion>', manifest.frameworkVersion, card.frameworkVersion, 'frameworkVersion');
  if (card.projectType === 'SUITEAPP') {
    differ('<publisherid>', text(manifest.body, 'publisherid'), card.publisherId, 'publisherId');
    differ('<projectid>', text(manifest.body, 'projectid'), card.projectId, 'projectId');
    differ('<projectversion>', text(manifest.body, 'projectversion'), card.version, 'version');
  }
  const fmt = (list: { id: string; required: boolean }[]) =>
    list.map((f) => `${f.id}${f.required ? '' : ' (optional)'}`).sort().join(', ') || 'none';
  differ('<dependencies><features>', fmt(manifest.features), fmt(card.features), 'features');
  return out;
}
