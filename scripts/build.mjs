// Bundles the CLI into one ESM file: start-up is dominated by module resolution, and a bundle
// halves it. Heavy clients (Kubernetes, GitHub) stay external and are imported lazily.
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {build} from 'esbuild';
import {bundlePatches} from './bundle-patches.mjs';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const result = await build({
  entryPoints: ['source/cli.tsx'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  // Code that only some commands need (the parser, execa, the clients) lives in chunks loaded on demand.
  splitting: true,
  minify: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  jsx: 'automatic',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // Loaded only when a cluster or GitHub is in play; bundling them would make every start pay for them. node-pty
  // (interactive blocks) is a native module: it cannot be bundled, and is loaded with the first interactive block.
  external: ['@kubernetes/client-node', '@octokit/*', '@lydell/node-pty'],
  plugins: bundlePatches,
  define: {'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"', RUNBOOK_VERSION: JSON.stringify(version)},
  banner: {
    js: [
      '#!/usr/bin/env node',
      // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
      "import {createRequire as __runbookCreateRequire} from 'node:module';",
      'const require = __runbookCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});

// Remove chunks of earlier builds only after the new ones are in place: a running session (or a test) that
// lazily loads a chunk must never find the directory emptied under it.
const dist = resolve('dist');
const keep = new Set(Object.keys(result.metafile.outputs).map(out => resolve(out)));
for (const entry of readdirSync(dist, {recursive: true, withFileTypes: true})) {
  const path = join(entry.parentPath ?? entry.path, entry.name);
  if (entry.isFile() && !keep.has(path) && relative(dist, path).startsWith('chunks')) rmSync(path, {force: true});
}
