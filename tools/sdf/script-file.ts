/**
 * Static analysis of a SuiteScript 2.x file as NetSuite checks it on upload: the JSDoc tag block, exactly one
 * define() call and nothing else at top level, the modules it depends on, and the entry points it exports
 * (through tsc's `exports.x = ...` form or a returned object literal). Uses TypeScript's parser on the JS.
 */
import * as ts from 'typescript';

export interface ScriptTags {
  apiVersion: string | null;
  scriptType: string | null;
  moduleScope: string | null;
}

export interface ScriptAnalysis {
  tags: ScriptTags;
  /** True when the tag block is the file's first content. */
  tagsFirst: boolean;
  defineCalls: number;
  /** Top-level statements other than the define() call (helper code NetSuite would run outside the module). */
  strayStatements: number;
  dependencies: string[];
  exports: string[];
  syntaxErrors: string[];
}

const TAG_RE = /@(NApiVersion|NScriptType|NModuleScope)\s+([A-Za-z0-9.]+)/g;

export function readTags(source: string): { tags: ScriptTags; first: boolean } {
  const tags: ScriptTags = { apiVersion: null, scriptType: null, moduleScope: null };
  const m = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(source);
  const block = m?.[1] ?? '';
  for (const t of block.matchAll(TAG_RE)) {
    if (t[1] === 'NApiVersion') tags.apiVersion = t[2] ?? null;
    if (t[1] === 'NScriptType') tags.scriptType = t[2] ?? null;
    if (t[1] === 'NModuleScope') tags.moduleScope = t[2] ?? null;
  }
  if (tags.apiVersion || tags.scriptType) return { tags, first: true };
  // Tags somewhere later in the file still count for NetSuite's parser, but we report them as misplaced.
  for (const c of source.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    for (const t of (c[1] ?? '').matchAll(TAG_RE)) {
      if (t[1] === 'NApiVersion') tags.apiVersion = t[2] ?? null;
      if (t[1] === 'NScriptType') tags.scriptType = t[2] ?? null;
      if (t[1] === 'NModuleScope') tags.moduleScope = t[2] ?? null;
    }
    if (tags.apiVersion || tags.scriptType) break;
  }
  return { tags, first: false };
}

function isDefineCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'define';
}

export function analyzeScript(source: string, fileName = 'script.js'): ScriptAnalysis {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const diagnostics = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const syntaxErrors = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const { tags, first } = readTags(source);

  let defineCalls = 0;
  const visit = (node: ts.Node): void => {
    if (isDefineCall(node)) defineCalls += 1;
    ts.forEachChild(node, visit);
  };
  visit(sf);

  let strayStatements = 0;
  let dependencies: string[] = [];
  const exported = new Set<string>();
  for (const statement of sf.statements) {
    const call = ts.isExpressionStatement(statement) && isDefineCall(statement.expression) ? statement.expression : null;
    if (!call) {
      if (!(ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression))) strayStatements += 1;
      continue;
    }
    const [first, second] = call.arguments;
    const depsArg = first && ts.isArrayLiteralExpression(first) ? first : null;
    const factory = depsArg ? second : first;
    if (depsArg) {
      dependencies = depsArg.elements.filter(ts.isStringLiteral).map((e) => e.text);
    }
    if (factory && (ts.isFunctionExpression(factory) || ts.isArrowFunction(factory))) {
      collectExports(factory, exported);
    } else if (factory && ts.isObjectLiteralExpression(factory)) {
      for (const p of factory.properties) if (p.name) exported.add(propertyName(p.name));
    }
  }
  return {
    tags,
    tagsFirst: first,
    defineCalls,
    strayStatements,
    dependencies,
    exports: [...exported].sort(),
    syntaxErrors,
  };
}

function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText();
}

function collectExports(factory: ts.FunctionExpression | ts.ArrowFunction, out: Set<string>): void {
  const body = factory.body;
  if (!ts.isBlock(body)) {
    if (ts.isObjectLiteralExpression(body)) for (const p of body.properties) if (p.name) out.add(propertyName(p.name));
    return;
  }
  for (const st of body.statements) {
    // exports.name = ...  (tsc's AMD form; `exports.name = void 0` placeholders are ignored)
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
      // In a chain `exports.a = exports.b = void 0` every name gets the chain's final value.
      let last: ts.Expression = st.expression;
      while (ts.isBinaryExpression(last) && last.operatorToken.kind === ts.SyntaxKind.EqualsToken) last = last.right;
      const isVoid0 = ts.isVoidExpression(last);
      let expr: ts.Expression = st.expression;
      while (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = expr.left;
        if (
          ts.isPropertyAccessExpression(left) &&
          ts.isIdentifier(left.expression) &&
          left.expression.text === 'exports' &&
          !isVoid0
        ) {
          out.add(left.name.text);
        }
        if (
          ts.isElementAccessExpression(left) &&
          ts.isIdentifier(left.expression) &&
          left.expression.text === 'exports' &&
          ts.isStringLiteral(left.argumentExpression) &&
          !isVoid0
        ) {
          out.add(left.argumentExpression.text);
        }
        expr = expr.right;
      }
    }
    // return { name: ... }
    if (ts.isReturnStatement(st) && st.expression && ts.isObjectLiteralExpression(st.expression)) {
      for (const p of st.expression.properties) if (p.name) out.add(propertyName(p.name));
    }
  }
}
