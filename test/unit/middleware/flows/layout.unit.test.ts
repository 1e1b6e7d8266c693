/**
 * The layout's rule, read from the source: a flow folder imports no other flow, and the shared parts (ports,
 * tenancy, the partner API's route helpers) import no flow. Adding a flow touches the registry and its own folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const MIDDLEWARE = resolve(__dirname, '../../../../middleware');
const FLOWS = join(MIDDLEWARE, 'flows');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file imports or re-exports, resolved to a path under the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1] ?? '');
  return specifiers.map((s) => resolve(dirname(file), s));
}

const flowNames = readdirSync(FLOWS).filter((name) => statSync(join(FLOWS, name)).isDirectory());

/** The flow folder a path lies in (flows/<name>/..., or the folder itself), or null for the registry, index and anything outside flows/. */
function flowOf(path: string): string | null {
  const rel = relative(FLOWS, path);
  if (rel.startsWith('..')) return null;
  const [first = '', ...rest] = rel.split(sep);
  return rest.length > 0 || flowNames.includes(first) ? first : null;
}

test('the flows are sibling folders: refunds and orders at least', () => {
  expect(flowNames).toEqual(expect.arrayContaining(['refunds', 'orders']));
});

test.each(flowNames)('flow %s imports no other flow', (flow) => {
  const crossing = tsFiles(join(FLOWS, flow)).flatMap((file) =>
    importsOf(file)
      .filter((target) => flowOf(target) !== null && flowOf(target) !== flow)
      .map((target) => `${relative(MIDDLEWARE, file)} -> ${relative(MIDDLEWARE, target)}`),
  );
  expect(crossing).toEqual([]);
});

test.each(['ports', 'tenancy', 'http'])('shared part %s imports no flow', (part) => {
  const crossing = tsFiles(join(MIDDLEWARE, part)).flatMap((file) =>
    importsOf(file)
      .filter((target) => flowOf(target) !== null)
      .map((target) => `${relative(MIDDLEWARE, file)} -> ${relative(MIDDLEWARE, target)}`),
  );
  expect(crossing).toEqual([]);
});
