// Which tests each requirement gates, counted from the source (no test is run or imported): every
// `itNeeds([...])(…)` is one test, every `describeNeeds([...])(name, body)` gates the tests its body declares
// (`it`, `test`, `it.each([...])` by its rows, nested `itNeeds`). Used by the global setup to say, before the
// run, what a missing tool will cost; the skip reporter gives the counts for the files that actually ran.
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import type * as TS from 'typescript';
import type {Requirement} from './needs.js';

export interface GatedTest {
  /** Path relative to the root, with forward slashes. */
  file: string;
  needs: Requirement[];
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

export async function gatedTests(root: string, testsDir = join(root, 'tests')): Promise<GatedTest[]> {
  const ts = (await import('typescript')).default;
  const found: GatedTest[] = [];
  for (const path of testFiles(testsDir)) {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('Needs(')) continue;
    const file = relative(root, path).split(sep).join('/');
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);

    /** `describeNeeds(['a'])` / `itNeeds(['a'])` as the callee of a call: its kind and needs. */
    const gate = (callee: TS.Expression): {kind: 'describe' | 'it'; needs: Requirement[]} | undefined => {
      if (!ts.isCallExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
      const name = callee.expression.text;
      if (name !== 'describeNeeds' && name !== 'itNeeds') return undefined;
      const list = callee.arguments[0];
      if (!list || !ts.isArrayLiteralExpression(list)) throw new Error(`${file}: ${name} takes a literal array of requirements`);
      const needs = list.elements.map(e => {
        if (!ts.isStringLiteralLike(e)) throw new Error(`${file}: ${name} takes a literal array of requirements`);
        return e.text as Requirement;
      });
      return {kind: name === 'describeNeeds' ? 'describe' : 'it', needs};
    };

    /** How many tests a plain `it(…)`, `test(…)`, `it.only(…)` or `it.each([…])(…)` declares; 0 if not a test. */
    const plainTests = (call: TS.CallExpression): number => {
      const callee = call.expression;
      if (ts.isIdentifier(callee)) return callee.text === 'it' || callee.text === 'test' ? 1 : 0;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ['it', 'test'].includes(callee.expression.text))
        return ['only', 'concurrent', 'sequential', 'fails'].includes(callee.name.text) ? 1 : 0;
      if (ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'each') {
        const base = callee.expression.expression;
        if (ts.isIdentifier(base) && ['it', 'test'].includes(base.text)) {
          const rows = callee.arguments[0];
          if (rows && ts.isArrayLiteralExpression(rows)) return rows.elements.length;
          throw new Error(`${file}: cannot count the rows of an it.each inside describeNeeds; use a literal array`);
        }
      }
      return 0;
    };

    const visit = (node: TS.Node, inherited: Requirement[]): void => {
      if (ts.isCallExpression(node)) {
        const g = gate(node.expression);
        if (g) {
          const needs = [...new Set([...inherited, ...g.needs])];
          if (g.kind === 'it') found.push({file, needs});
          else node.arguments.forEach(arg => visit(arg, needs));
          return;
        }
        const n = inherited.length ? plainTests(node) : 0;
        if (n > 0) {
          for (let i = 0; i < n; i++) found.push({file, needs: inherited});
          return;
        }
      }
      ts.forEachChild(node, child => visit(child, inherited));
    };
    visit(source, []);
  }
  return found;
}

/** Per area (the directory under tests/), how many of these tests live there: `sandbox 25, kube 6`. */
export function byArea(tests: GatedTest[]): string {
  const counts = new Map<string, number>();
  for (const t of tests) {
    const parts = t.file.split('/');
    const area = parts.length > 2 ? parts[1]! : parts[0]!;
    counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([area, n]) => `${area} ${n}`).join(', ');
}
