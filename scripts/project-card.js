// Writes what the project card (suitecloud.project.json) decides into the files that carry it, so the bundle's
// metadata has one source:
// - <projectFolder>/manifest.xml: the SDF manifest, generated whole from the card;
// - core/bundle-version.ts: the BUNDLE_VERSION line (the health action answers it; the middleware compares it).
//
// Manifest elements by project type (SuiteCloud Development Framework, "SuiteCloud Project Structure and File
// Components", the createproject command reference and "Creating a SuiteApp Version"):
// - both types: the projecttype attribute, <projectname>, <frameworkversion> and <dependencies> (features, and
//   for a SuiteApp also objects of other SuiteApps);
// - SUITEAPP only: <publisherid>, <projectid> (lower-case letters and digits, under 40 characters) and
//   <projectversion> (semantic version). An ACCOUNTCUSTOMIZATION manifest has no version element, so for that
//   type the version lives in the card and in the health answer only; publisherId and projectId are kept in
//   the card for a SuiteApp build and not written.
// Run by `npm run build:suitescripts`; `node scripts/project-card.js --check` only reports drift (exit 1).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CARD_FILE = 'suitecloud.project.json';
const TYPES = ['ACCOUNTCUSTOMIZATION', 'SUITEAPP'];
const SEMVER = /^\d+\.\d+\.\d+$/;

/** Reads and checks the card; throws an Error naming each defect. */
function readCard(root = ROOT) {
  const file = path.join(root, CARD_FILE);
  const card = JSON.parse(fs.readFileSync(file, 'utf8'));
  const defects = [];
  const str = (key) => typeof card[key] === 'string' && card[key].length > 0;
  for (const key of ['projectFolder', 'projectType', 'projectName', 'version', 'frameworkVersion']) {
    if (!str(key)) defects.push(`${key} must be a non-empty string`);
  }
  if (str('projectType') && !TYPES.includes(card.projectType)) defects.push(`projectType must be one of ${TYPES.join(', ')}`);
  if (str('version') && !SEMVER.test(card.version)) defects.push('version must be MAJOR.MINOR.PATCH');
  if (card.projectType === 'SUITEAPP') {
    if (!str('publisherId')) defects.push('a SUITEAPP needs publisherId');
    if (!str('projectId') || !/^[a-z0-9]{1,39}$/.test(card.projectId)) defects.push('a SUITEAPP needs projectId: lower-case letters and digits, under 40 characters');
  }
  if (!Array.isArray(card.features) || card.features.some((f) => !f || typeof f.id !== 'string' || typeof f.required !== 'boolean')) {
    defects.push('features must be a list of { id, required }');
  }
  if (defects.length > 0) throw new Error(`${CARD_FILE}: ${defects.join('; ')}`);
  return card;
}

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function manifestXml(card) {
  const lines = [`<manifest projecttype="${escape(card.projectType)}">`];
  if (card.projectType === 'SUITEAPP') {
    lines.push(`  <publisherid>${escape(card.publisherId)}</publisherid>`);
    lines.push(`  <projectid>${escape(card.projectId)}</projectid>`);
  }
  lines.push(`  <projectname>${escape(card.projectName)}</projectname>`);
  if (card.projectType === 'SUITEAPP') lines.push(`  <projectversion>${escape(card.version)}</projectversion>`);
  lines.push(`  <frameworkversion>${escape(card.frameworkVersion)}</frameworkversion>`);
  if (card.features.length > 0) {
    lines.push('  <dependencies>', '    <features>');
    for (const f of card.features) lines.push(`      <feature required="${f.required ? 'true' : 'false'}">${escape(f.id)}</feature>`);
    lines.push('    </features>', '  </dependencies>');
  }
  lines.push('</manifest>', '');
  return lines.join('\n');
}

const VERSION_LINE = /^export const BUNDLE_VERSION = '[^']*';$/m;

function bundleVersionTs(current, card) {
  if (!VERSION_LINE.test(current)) throw new Error('core/bundle-version.ts has no `export const BUNDLE_VERSION = \'…\';` line');
  return current.replace(VERSION_LINE, `export const BUNDLE_VERSION = '${card.version}';`);
}

/** The files the card decides, with their content: [{ file (relative to root), content }]. */
function outputs(root = ROOT) {
  const card = readCard(root);
  const versionFile = path.join('core', 'bundle-version.ts');
  return [
    { file: path.join(card.projectFolder, 'manifest.xml'), content: manifestXml(card) },
    { file: versionFile, content: bundleVersionTs(fs.readFileSync(path.join(root, versionFile), 'utf8'), card) },
  ];
}

function main(argv) {
  const check = argv.includes('--check');
  let drift = 0;
  for (const { file, content } of outputs(ROOT)) {
    const abs = path.join(ROOT, file);
    const before = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : null;
    if (before === content) continue;
    if (check) {
      process.stderr.write(`${file} does not agree with ${CARD_FILE}; run npm run build:suitescripts\n`);
      drift += 1;
    } else fs.writeFileSync(abs, content);
  }
  return drift === 0 ? 0 : 1;
}

module.exports = { readCard, manifestXml, outputs, CARD_FILE };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  }
}
