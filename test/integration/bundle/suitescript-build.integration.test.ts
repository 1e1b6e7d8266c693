import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSdfProject, fileCabinetPath, text } from '../../../tools/sdf/project';
import { analyzeScript } from '../../../tools/sdf/script-file';
import { validateProject } from '../../../tools/sdf/validate';

// Runs after `npm run build` (npm test's pretest): checks the compiled bundle NetSuite would receive.
const SRC = path.join(__dirname, '..', '..', '..', 'src');
const OUT = path.join(SRC, 'FileCabinet', 'SuiteScripts', 'ledgerbridge');

function compiledFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return compiledFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

describe('compiled SuiteScripts (build output)', () => {
  const project = loadSdfProject(SRC);
  const scripts = project.objects.filter((o) => text(o.body, 'scriptfile'));

  it('has one script object of each type: User Event, RESTlet, Map/Reduce', () => {
    expect(scripts.map((s) => s.kind).sort()).toEqual(['mapreducescript', 'restlet', 'usereventscript']);
  });

  it.each(scripts.map((s) => [s.scriptid, s] as const))('%s: tag block first, one define, exports its entry points', (_id, obj) => {
    const file = fileCabinetPath(SRC, text(obj.body, 'scriptfile'));
    expect(file).not.toBeNull();
    const source = fs.readFileSync(file as string, 'utf8');
    expect(source.startsWith('/**\n * @NApiVersion 2.1\n * @NScriptType ')).toBe(true);
    expect(source).toContain('@NModuleScope SameAccount');
    const a = analyzeScript(source);
    expect(a.defineCalls).toBe(1);
    expect(a.strayStatements).toBe(0);
    expect(a.exports.length).toBeGreaterThan(0);
  });

  it('every compiled module depends only on N/* modules and the bundle\'s own files', () => {
    const files = compiledFiles(OUT);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const a = analyzeScript(fs.readFileSync(f, 'utf8'));
      expect(a.defineCalls).toBe(1);
      expect(a.strayStatements).toBe(0);
      for (const dep of a.dependencies) {
        const ok = dep === 'require' || dep === 'exports' || dep.startsWith('N/') || dep.startsWith('.');
        if (!ok) throw new Error(`${path.relative(SRC, f)} depends on ${dep}`);
        if (dep.startsWith('.')) expect(fs.existsSync(path.resolve(path.dirname(f), `${dep}.js`))).toBe(true);
      }
    }
  });

  it('passes the static SDF validator', () => {
    const result = validateProject(SRC);
    expect(result.errors).toEqual([]);
  });
});
