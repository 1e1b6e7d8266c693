// Reference 3.1: NetSuite's checks of an entry script's tag block, define() call and entry points, applied when
// the local account loads a project (a deploy with a bad script fails as a whole).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalAccount } from '../../../../emulator';

function project(source: string, kind = 'restlet'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-tags-'));
  fs.mkdirSync(path.join(dir, 'Objects'));
  fs.mkdirSync(path.join(dir, 'FileCabinet', 'SuiteScripts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.xml'), '<manifest projecttype="ACCOUNTCUSTOMIZATION"><projectname>t</projectname><frameworkversion>1.0</frameworkversion></manifest>');
  fs.writeFileSync(path.join(dir, 'deploy.xml'), '<deploy><files><path>~/FileCabinet/*</path></files><objects><path>~/Objects/*</path></objects></deploy>');
  fs.writeFileSync(
    path.join(dir, 'Objects', 'customscript_t.xml'),
    `<${kind} scriptid="customscript_t"><name>t</name><scriptfile>[/SuiteScripts/t.js]</scriptfile>` +
      `<scriptdeployments><scriptdeployment scriptid="customdeploy_t"><isdeployed>T</isdeployed><status>RELEASED</status></scriptdeployment></scriptdeployments></${kind}>`,
  );
  fs.writeFileSync(path.join(dir, 'FileCabinet', 'SuiteScripts', 't.js'), source);
  return dir;
}

function loadError(source: string, kind?: string): { name?: string; type?: string } {
  const dir = project(source, kind);
  try {
    createLocalAccount({ projectDir: dir });
    return {};
  } catch (e) {
    return e as { name: string; type: string };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const tags = (api: string, type: string | null) => `/**\n * @NApiVersion ${api}\n${type ? ` * @NScriptType ${type}\n` : ''} */\n`;

describe('tag block checks (3.1)', () => {
  it('3.1: accepts a 2.1 RESTlet with an entry point', () => {
    expect(loadError(`${tags('2.1', 'Restlet')}define([], () => ({ get: () => 'ok' }));`)).toEqual({});
  });

  it('3.1: accepts @NApiVersion 2.x', () => {
    expect(loadError(`${tags('2.x', 'Restlet')}define([], () => ({ get: () => 'ok' }));`)).toEqual({});
  });

  it('3.1: an unknown @NApiVersion is INVALID_API_VERSION', () => {
    expect(loadError(`${tags('1.0', 'Restlet')}define([], () => ({ get: () => 'ok' }));`)).toMatchObject({
      name: 'INVALID_API_VERSION',
      type: 'error.SuiteScriptError',
    });
  });

  it('3.1: a missing @NApiVersion is INVALID_API_VERSION', () => {
    expect(loadError(`/**\n * @NScriptType Restlet\n */\ndefine([], () => ({ get: () => 'ok' }));`).name).toBe('INVALID_API_VERSION');
  });

  it('3.1: a missing @NScriptType is MISSING_SCRIPT_TYPE', () => {
    expect(loadError(`${tags('2.1', null)}define([], () => ({ get: () => 'ok' }));`).name).toBe('MISSING_SCRIPT_TYPE');
  });

  it('3.1: two define() calls are MULTIPLE_DEFINE_CALLS', () => {
    const src = `${tags('2.1', 'Restlet')}define([], () => ({ get: () => 'a' }));\ndefine([], () => ({ get: () => 'b' }));`;
    expect(loadError(src).name).toBe('MULTIPLE_DEFINE_CALLS');
  });

  it('3.1: no entry point is SCRIPT_OF_API_VERSION_20_MUST_IMPLEMENT_A_SCRIPT_TYPE_INTERFACE', () => {
    expect(loadError(`${tags('2.1', 'Restlet')}define([], () => ({ helper: () => 1 }));`).name).toBe(
      'SCRIPT_OF_API_VERSION_20_MUST_IMPLEMENT_A_SCRIPT_TYPE_INTERFACE',
    );
  });

  it('3.4: a Map/Reduce with getInputData but neither map nor reduce implements no interface', () => {
    const src = `${tags('2.1', 'MapReduceScript')}define([], () => ({ getInputData: () => [] }));`;
    expect(loadError(src, 'mapreducescript').name).toBe('SCRIPT_OF_API_VERSION_20_MUST_IMPLEMENT_A_SCRIPT_TYPE_INTERFACE');
  });

  it('3.6: entry points returned through the exports object (tsc AMD output) count', () => {
    const src = `${tags('2.1', 'Restlet')}define(["require", "exports"], function (require, exports) {\n  exports.get = () => 'ok';\n});`;
    expect(loadError(src)).toEqual({});
  });

  it('a module the local account does not provide (N/file is not needed yet) is MODULE_DOES_NOT_EXIST', () => {
    expect(loadError(`${tags('2.1', 'Restlet')}define(['N/file'], (file) => ({ get: () => file }));`).name).toBe('MODULE_DOES_NOT_EXIST');
  });
});
