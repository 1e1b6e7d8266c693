import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateProject } from '../../../tools/sdf/validate';
import { copyToTemp } from '../../helpers/temp-copy';

// A valid SDF project; each case copies it, breaks exactly one thing, and expects that defect to be named.
const VALID = path.join(__dirname, '..', '..', 'fixtures', 'sdf', 'valid');

type Mutation = (dir: string) => void;

const edit = (file: string, from: string | RegExp, to: string): Mutation => (dir) => {
  const p = path.join(dir, file);
  const before = fs.readFileSync(p, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`mutation did not change ${file}`);
  fs.writeFileSync(p, after);
};
const remove = (file: string): Mutation => (dir) => fs.rmSync(path.join(dir, file));
const rename = (from: string, to: string): Mutation => (dir) => fs.renameSync(path.join(dir, from), path.join(dir, to));
const RL = 'FileCabinet/SuiteScripts/fx/rl_echo.js';
const MR = 'FileCabinet/SuiteScripts/fx/mr_count.js';
const UE = 'FileCabinet/SuiteScripts/fx/ue_stamp.js';

const cases: { name: string; mutate: Mutation; file: string; code: string; message: RegExp }[] = [
  { name: 'manifest not well-formed', mutate: edit('manifest.xml', '</projectname>', '</projectnam>'), file: 'manifest.xml', code: 'XML_MALFORMED', message: /not well-formed XML/ },
  { name: 'manifest missing', mutate: remove('manifest.xml'), file: 'manifest.xml', code: 'MANIFEST_MISSING', message: /manifest.xml is missing/ },
  { name: 'bad projecttype', mutate: edit('manifest.xml', 'ACCOUNTCUSTOMIZATION', 'CUSTOMIZATION'), file: 'manifest.xml', code: 'MANIFEST_PROJECTTYPE', message: /projecttype "CUSTOMIZATION"/ },
  { name: 'deploy not well-formed', mutate: edit('deploy.xml', '</files>', '<files>'), file: 'deploy.xml', code: 'XML_MALFORMED', message: /not well-formed XML/ },
  { name: 'deploy does not list Objects', mutate: edit('deploy.xml', /<objects>[\s\S]*<\/objects>/, ''), file: 'deploy.xml', code: 'DEPLOY_OBJECTS_NOT_LISTED', message: /no <objects>/ },
  { name: 'deploy path to nothing', mutate: edit('deploy.xml', '~/Objects/*', '~/Objectz/*'), file: 'deploy.xml', code: 'DEPLOY_PATH_NOT_FOUND', message: /Objectz, which does not exist/ },
  { name: 'object not well-formed', mutate: edit('Objects/customrecord_fx_note.xml', '</recordname>', ''), file: 'Objects/customrecord_fx_note.xml', code: 'XML_MALFORMED', message: /not well-formed XML/ },
  { name: 'file not named after scriptid', mutate: rename('Objects/custbody_fx_flag.xml', 'Objects/custbody_fx_flag2.xml'), file: 'Objects/custbody_fx_flag2.xml', code: 'FILENAME_MISMATCH', message: /named after its scriptid: custbody_fx_flag.xml/ },
  { name: 'wrong script prefix', mutate: (d) => { edit('Objects/customscript_fx_rl_echo.xml', 'scriptid="customscript_fx_rl_echo"', 'scriptid="script_fx_rl_echo"')(d); rename('Objects/customscript_fx_rl_echo.xml', 'Objects/script_fx_rl_echo.xml')(d); }, file: 'Objects/script_fx_rl_echo.xml', code: 'SCRIPTID_PREFIX', message: /must start with "customscript_"/ },
  { name: 'wrong deployment prefix', mutate: edit('Objects/customscript_fx_rl_echo.xml', 'customdeploy_fx_rl_echo', 'deploy_fx_rl_echo'), file: 'Objects/customscript_fx_rl_echo.xml', code: 'SCRIPTID_PREFIX', message: /"deploy_fx_rl_echo" of <scriptdeployment> must start with "customdeploy"/ },
  { name: 'wrong custom record prefix', mutate: (d) => { edit('Objects/customrecord_fx_note.xml', 'scriptid="customrecord_fx_note"', 'scriptid="customrec_fx_note"')(d); rename('Objects/customrecord_fx_note.xml', 'Objects/customrec_fx_note.xml')(d); }, file: 'Objects/customrec_fx_note.xml', code: 'SCRIPTID_PREFIX', message: /must start with "customrecord_"/ },
  { name: 'wrong custom record field prefix', mutate: edit('Objects/customrecord_fx_note.xml', 'custrecord_fx_note_text', 'fx_note_text'), file: 'Objects/customrecord_fx_note.xml', code: 'SCRIPTID_PREFIX', message: /must start with "custrecord"/ },
  { name: 'wrong body field prefix', mutate: (d) => { edit('Objects/custbody_fx_flag.xml', 'custbody_fx_flag', 'custcol_fx_flag')(d); rename('Objects/custbody_fx_flag.xml', 'Objects/custcol_fx_flag.xml')(d); }, file: 'Objects/custcol_fx_flag.xml', code: 'SCRIPTID_PREFIX', message: /<transactionbodycustomfield> must start with "custbody_"/ },
  { name: 'wrong parameter prefix', mutate: edit('Objects/customscript_fx_mr_count.xml', 'custscript_fx_limit', 'param_fx_limit'), file: 'Objects/customscript_fx_mr_count.xml', code: 'SCRIPTID_PREFIX', message: /must start with "custscript"/ },
  { name: 'upper-case scriptid', mutate: (d) => { edit('Objects/custbody_fx_flag.xml', 'custbody_fx_flag', 'custbody_FX_flag')(d); rename('Objects/custbody_fx_flag.xml', 'Objects/custbody_FX_flag.xml')(d); }, file: 'Objects/custbody_FX_flag.xml', code: 'SCRIPTID_CHARACTERS', message: /lower-case/ },
  { name: 'scriptid over 40 characters', mutate: edit('Objects/customscript_fx_rl_echo.xml', 'customdeploy_fx_rl_echo', 'customdeploy_fx_rl_echo_with_a_very_long_name'), file: 'Objects/customscript_fx_rl_echo.xml', code: 'SCRIPTID_TOO_LONG', message: /has 45 characters; the limit is 40/ },
  { name: 'duplicate scriptid', mutate: edit('Objects/customscript_fx_mr_count.xml', 'customdeploy_fx_mr_count', 'customdeploy_fx_rl_echo'), file: 'Objects/customscript_fx_rl_echo.xml', code: 'SCRIPTID_DUPLICATE', message: /also defined in Objects\/customscript_fx_mr_count.xml/ },
  { name: 'scriptfile missing', mutate: remove(RL), file: 'Objects/customscript_fx_rl_echo.xml', code: 'SCRIPTFILE_NOT_FOUND', message: /rl_echo.js\]<\/scriptfile> does not exist under FileCabinet/ },
  { name: 'scriptfile not bracketed', mutate: edit('Objects/customscript_fx_rl_echo.xml', '[/SuiteScripts/fx/rl_echo.js]', '/SuiteScripts/fx/rl_echo.js'), file: 'Objects/customscript_fx_rl_echo.xml', code: 'SCRIPTFILE_REFERENCE', message: /in brackets/ },
  { name: 'script type mismatch', mutate: edit(RL, '@NScriptType Restlet', '@NScriptType Suitelet'), file: RL, code: 'SCRIPT_TYPE_MISMATCH', message: /@NScriptType Suitelet does not match <restlet>/ },
  { name: 'missing @NScriptType', mutate: edit(UE, ' * @NScriptType UserEventScript\n', ''), file: UE, code: 'MISSING_SCRIPT_TYPE', message: /no @NScriptType/ },
  { name: 'bad @NApiVersion', mutate: edit(UE, '@NApiVersion 2.1', '@NApiVersion 1.0'), file: UE, code: 'INVALID_API_VERSION', message: /@NApiVersion 1.0 is not one of/ },
  { name: 'two define calls', mutate: (d) => fs.appendFileSync(path.join(d, MR), '\ndefine([], function () { return {}; });\n'), file: MR, code: 'MULTIPLE_DEFINE_CALLS', message: /exactly once; found 2/ },
  { name: 'helper code outside define', mutate: edit(RL, 'define(', 'var __helper = function () {};\ndefine('), file: RL, code: 'CODE_OUTSIDE_DEFINE', message: /1 statement\(s\) outside define/ },
  { name: 'npm dependency', mutate: edit(RL, '"./lib"', '"lodash"'), file: RL, code: 'FOREIGN_DEPENDENCY', message: /"lodash", which is neither an N\/\* module/ },
  { name: 'missing bundle module', mutate: remove('FileCabinet/SuiteScripts/fx/lib.js'), file: RL, code: 'DEPENDENCY_MISSING', message: /lib.js does not exist/ },
  { name: 'restlet without entry points', mutate: edit(RL, /exports\.(get|post) = (get|post);/g, ''), file: RL, code: 'MISSING_ENTRY_POINT', message: /at least one of get, post, put, delete; it exports nothing/ },
  { name: 'map/reduce without getInputData', mutate: edit(MR, 'exports.getInputData', 'exports.getInput'), file: MR, code: 'MISSING_ENTRY_POINT', message: /must export getInputData/ },
  { name: 'user event without entry points', mutate: edit(UE, 'return { beforeSubmit: beforeSubmit };', 'return { onSubmit: beforeSubmit };'), file: UE, code: 'MISSING_ENTRY_POINT', message: /beforeLoad, beforeSubmit, afterSubmit; it exports onSubmit/ },
  { name: 'user event deployment without record type', mutate: edit('Objects/customscript_fx_ue_stamp.xml', '<recordtype>SALESORDER</recordtype>', ''), file: 'Objects/customscript_fx_ue_stamp.xml', code: 'DEPLOYMENT_RECORDTYPE', message: /needs a <recordtype>/ },
  { name: 'bad deployment status', mutate: edit('Objects/customscript_fx_ue_stamp.xml', '<status>TESTING</status>', '<status>LIVE</status>'), file: 'Objects/customscript_fx_ue_stamp.xml', code: 'DEPLOYMENT_STATUS', message: /<status>LIVE<\/status>/ },
  { name: 'scripts without SERVERSIDESCRIPTING', mutate: edit('manifest.xml', '<feature required="true">SERVERSIDESCRIPTING</feature>', ''), file: 'manifest.xml', code: 'FEATURE_NOT_DECLARED', message: /needs feature SERVERSIDESCRIPTING/ },
  { name: 'custom record without CUSTOMRECORDS', mutate: edit('manifest.xml', '<feature required="true">CUSTOMRECORDS</feature>', ''), file: 'manifest.xml', code: 'FEATURE_NOT_DECLARED', message: /customrecord_fx_note.xml \(<customrecordtype>\) needs feature CUSTOMRECORDS/ },
  // One broken fixture for each remaining rule: every rule is shown to reject with its message.
  { name: 'manifest with another root', mutate: edit('manifest.xml', /<manifest([^>]*)>([\s\S]*)<\/manifest>/, '<project$1>$2</project>'), file: 'manifest.xml', code: 'MANIFEST_ROOT', message: /root element must be <manifest>/ },
  { name: 'manifest without projectname', mutate: edit('manifest.xml', '<projectname>Ledgerbridge</projectname>', ''), file: 'manifest.xml', code: 'MANIFEST_PROJECTNAME', message: /<projectname> is missing or empty/ },
  { name: 'manifest framework version', mutate: edit('manifest.xml', '<frameworkversion>1.0</frameworkversion>', '<frameworkversion>2.0</frameworkversion>'), file: 'manifest.xml', code: 'MANIFEST_FRAMEWORKVERSION', message: /must be 1.0 \(found "2.0"\)/ },
  { name: 'SuiteApp manifest without publisherid', mutate: edit('manifest.xml', 'projecttype="ACCOUNTCUSTOMIZATION">', 'projecttype="SUITEAPP"><projectid>fx</projectid><projectversion>1.0.0</projectversion>'), file: 'manifest.xml', code: 'MANIFEST_SUITEAPP', message: /a SUITEAPP manifest needs <publisherid>/ },
  { name: 'deploy missing', mutate: remove('deploy.xml'), file: 'deploy.xml', code: 'DEPLOY_MISSING', message: /deploy.xml is missing/ },
  { name: 'deploy with another root', mutate: edit('deploy.xml', /<deploy>([\s\S]*)<\/deploy>/, '<deployment>$1</deployment>'), file: 'deploy.xml', code: 'DEPLOY_ROOT', message: /root element must be <deploy>/ },
  { name: 'deploy path not under ~/', mutate: edit('deploy.xml', '~/Objects/*', 'Objects/*'), file: 'deploy.xml', code: 'DEPLOY_PATH', message: /<path>Objects\/\*<\/path> must start with ~\// },
  { name: 'deploy does not list the File Cabinet', mutate: edit('deploy.xml', /<files>[\s\S]*<\/files>/, ''), file: 'deploy.xml', code: 'DEPLOY_FILES_NOT_LISTED', message: /no <files><path>~\/FileCabinet\/\*<\/path><\/files>/ },
  { name: 'object with two root elements', mutate: (d) => fs.appendFileSync(path.join(d, 'Objects/custbody_fx_flag.xml'), '\n<transactionbodycustomfield scriptid="custbody_fx_flag"/>\n'), file: 'Objects/custbody_fx_flag.xml', code: 'OBJECT_ROOT', message: /exactly one root element/ },
  { name: 'unknown object type', mutate: edit('Objects/custbody_fx_flag.xml', /transactionbodycustomfield/g, 'mysteryobject'), file: 'Objects/custbody_fx_flag.xml', code: 'OBJECT_KIND_UNKNOWN', message: /<mysteryobject> is not an object type/ },
  { name: 'object without scriptid', mutate: edit('Objects/customrecord_fx_note.xml', 'scriptid="customrecord_fx_note"', ''), file: 'Objects/customrecord_fx_note.xml', code: 'SCRIPTID_MISSING', message: /<customrecordtype> has no scriptid attribute/ },
  { name: 'script object without scriptfile', mutate: edit('Objects/customscript_fx_rl_echo.xml', /<scriptfile>[^<]*<\/scriptfile>/, ''), file: 'Objects/customscript_fx_rl_echo.xml', code: 'SCRIPTFILE_MISSING', message: /<restlet> has no <scriptfile>/ },
  { name: 'script with a syntax error', mutate: edit(RL, 'const get = (params) =>', 'const get = (params) =>>'), file: RL, code: 'SYNTAX_ERROR', message: /syntax error/ },
  { name: 'bad @NModuleScope', mutate: edit(RL, '@NModuleScope SameAccount', '@NModuleScope Everyone'), file: RL, code: 'INVALID_MODULE_SCOPE', message: /@NModuleScope Everyone is not one of/ },
  { name: 'tag block not first', mutate: edit(RL, /^\/\*\*/, '"use strict";\n/**'), file: RL, code: 'TAGS_NOT_FIRST', message: /tag block must open the file/ },
  { name: 'no define call', mutate: edit(RL, /define\(\[[^\]]*\], function \(require, exports, runtime, lib\) \{([\s\S]*)\}\);\s*$/, '(function () {$1})();\n'), file: RL, code: 'MISSING_DEFINE', message: /exactly once; found 0/ },
  { name: 'bad deployment log level', mutate: edit('Objects/customscript_fx_mr_count.xml', '<loglevel>DEBUG</loglevel>', '<loglevel>VERBOSE</loglevel>'), file: 'Objects/customscript_fx_mr_count.xml', code: 'DEPLOYMENT_LOGLEVEL', message: /<loglevel>VERBOSE<\/loglevel> is not one of/ },
];

describe('static SDF validator', () => {
  it('accepts the valid fixture project', () => {
    const result = validateProject(VALID);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.objectCount).toBe(5);
    expect(result.scriptFileCount).toBe(3);
  });

  it.each(cases)('rejects a project with one defect: $name', ({ mutate, file, code, message }) => {
    const dir = copyToTemp(VALID, 'lb-sdf-');
    try {
      mutate(dir);
      const result = validateProject(dir);
      expect(result.ok).toBe(false);
      const hit = result.errors.find((e) => e.file === file && e.code === code);
      if (!hit) throw new Error(`expected ${code} on ${file}; got ${JSON.stringify(result.errors, null, 2)}`);
      expect(hit.message).toMatch(message);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('static SDF validator and the project card (suitecloud.project.json)', () => {
  const MISMATCH = path.join(__dirname, '..', '..', 'fixtures', 'sdf', 'card-mismatch');
  const ROOT = path.join(__dirname, '..', '..', '..');

  it('refuses a manifest whose version disagrees with the card, naming the element and both values', () => {
    const result = validateProject(path.join(MISMATCH, 'src'));
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        file: 'manifest.xml',
        code: 'MANIFEST_CARD_MISMATCH',
        message: expect.stringMatching(/<projectversion> is "1\.1\.0" but suitecloud\.project\.json says version "1\.2\.0"/),
      },
    ]);
  });

  it('accepts the same project once the manifest agrees, and skips the check when told there is no card', () => {
    const dir = copyToTemp(MISMATCH, 'lb-card-');
    try {
      expect(validateProject(path.join(dir, 'src'), { card: null }).ok).toBe(true);
      edit('src/manifest.xml', '<projectversion>1.1.0</projectversion>', '<projectversion>1.2.0</projectversion>')(dir);
      expect(validateProject(path.join(dir, 'src')).errors).toEqual([]);
      // Another disagreement: a feature the card declares but the manifest lacks.
      edit('suitecloud.project.json', '"features": []', '"features": [{ "id": "CUSTOMRECORDS", "required": true }]')(dir);
      expect(validateProject(path.join(dir, 'src')).errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/<dependencies><features> is "none" but suitecloud\.project\.json says features "CUSTOMRECORDS"/),
      ]);
      fs.writeFileSync(path.join(dir, 'suitecloud.project.json'), '{ "projectFolder": "src", ');
      expect(validateProject(path.join(dir, 'src')).errors.map((e) => e.code)).toEqual(['CARD_INVALID']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the repository\'s own SDF project against its card: the manifest agrees', () => {
    const card = JSON.parse(fs.readFileSync(path.join(ROOT, 'suitecloud.project.json'), 'utf8')) as { projectFolder: string };
    const result = validateProject(path.join(ROOT, card.projectFolder));
    expect(result.errors.filter((e) => e.code.startsWith('MANIFEST') || e.code.startsWith('CARD'))).toEqual([]);
  });

  it('an ACCOUNTCUSTOMIZATION card compares name, type, framework version and features (no version element)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-card-acp-'));
    try {
      fs.cpSync(VALID, path.join(dir, 'src'), { recursive: true });
      const card = { projectFolder: 'src', projectType: 'ACCOUNTCUSTOMIZATION', projectName: 'Ledgerbridge', version: '9.9.9', publisherId: 'org.example', projectId: 'fx', frameworkVersion: '1.0',
        features: [{ id: 'SERVERSIDESCRIPTING', required: true }, { id: 'CUSTOMRECORDS', required: true }] };
      fs.writeFileSync(path.join(dir, 'suitecloud.project.json'), JSON.stringify(card));
      expect(validateProject(path.join(dir, 'src')).errors).toEqual([]);
      fs.writeFileSync(path.join(dir, 'suitecloud.project.json'), JSON.stringify({ ...card, projectName: 'Other' }));
      expect(validateProject(path.join(dir, 'src')).errors.map((e) => [e.file, e.code, e.message])).toEqual([
        ['manifest.xml', 'MANIFEST_CARD_MISMATCH', expect.stringMatching(/<projectname> is "Ledgerbridge" but .* projectName "Other"/)],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
