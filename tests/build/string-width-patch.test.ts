// The build patches string-width so the emoji regex is built and compiled only when a segment could be an emoji
// (scripts/bundle-patches.mjs). It must measure exactly as the stock module does: every single code point, and
// the multi-code-point clusters terminals draw.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {stringWidthLazyEmoji} from '../../scripts/bundle-patches.mjs';
import {ROOT} from '../helpers/paths.js';

type Width = (text: string) => number;
let dir: string;
let stock: Width;
let patched: Width;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-sw-'));
  const entry = join(ROOT, 'node_modules/string-width/index.js');
  for (const [name, plugins] of [['stock', []], ['patched', [stringWidthLazyEmoji]]] as const) {
    await build({entryPoints: [entry], outfile: join(dir, `${name}.mjs`), bundle: true, format: 'esm', platform: 'node', logLevel: 'error', plugins: [...plugins]});
  }
  stock = (await import(pathToFileURL(join(dir, 'stock.mjs')).href)).default;
  patched = (await import(pathToFileURL(join(dir, 'patched.mjs')).href)).default;
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it('measures every code point of the planes emoji live in (and a sample of the rest) as stock string-width does', () => {
  const differ: string[] = [];
  // Planes 0 and 1 whole (every emoji and modifier is there), then every 97th code point up to the last one.
  for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x20000 ? 1 : 97) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const text = String.fromCodePoint(cp);
    if (patched(text) !== stock(text)) differ.push(cp.toString(16));
  }
  expect(differ).toEqual([]);
}, 30_000);

it('measures emoji sequences, marks, wide and box-drawing text as stock string-width does', () => {
  const samples = [
    '👍🏽', '👩‍💻', '👨‍👩‍👧‍👦', '🇩🇪', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '#⃣', '❤️', '❤', '☺️', '🔴 stop the rollout', '🟡 watch it',
    'é', 'é', '한국어', '漢字かな', 'ｶﾞ', '│ ◐ Greet  2/8 · in progress', '✓ exit 0', '▸○ Export', '🏻', 'a🏿b', '⌚', '©️', '™',
  ];
  for (const text of samples) expect(patched(text), text).toBe(stock(text));
});
