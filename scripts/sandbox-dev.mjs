#!/usr/bin/env node
// Manual testing of the sandbox cluster without the CLI: bundles source/sandbox/command.ts with
// esbuild to a temp file and runs it in the foreground.
// Usage: node scripts/sandbox-dev.mjs [--port N] [--scenario default|bad-release] [--speed N] [--dir D] [--env FILE]
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const {values} = parseArgs({
	options: {
		port: {type: 'string', default: '0'},
		scenario: {type: 'string', default: 'default'},
		speed: {type: 'string', default: '1'},
		dir: {type: 'string', default: path.join(root, 'state', 'sandbox')},
		env: {type: 'string'},
	},
});

const out = mkdtempSync(path.join(tmpdir(), 'sandbox-dev-'));
const bundle = path.join(out, 'command.mjs');
await build({
	entryPoints: [path.join(root, 'source/sandbox/command.ts')],
	outfile: bundle,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	logLevel: 'warning',
	// Bundled CommonJS dependencies (yaml) call require(); give the ESM bundle one, as the CLI build does.
	banner: {js: "import {createRequire as __sandboxCreateRequire} from 'node:module';\nconst require = __sandboxCreateRequire(import.meta.url);"},
});
// Everything is bundled (node: built-ins aside) because bare imports would not resolve from the temp dir.
const {runSandboxCommand} = await import(pathToFileURL(bundle).href);
try {
	const code = await runSandboxCommand({
		port: Number(values.port),
		scenario: values.scenario,
		speed: Number(values.speed),
		dir: values.dir,
		writeEnv: values.env,
	});
	process.exitCode = code;
} finally {
	rmSync(out, {recursive: true, force: true});
}
