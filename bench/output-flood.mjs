#!/usr/bin/env node
// Output flood: a block printing a million lines through the runner (file + redaction + tail + progress) against
// the same command run by plain execa into /dev/null, i.e. execa's own `{file: '/dev/null'}` target, which reads the
// output through Node like the runner does and throws it away. A second, context-only baseline lets the kernel
// discard the output (`stdout: 'ignore'`): no Node process reads anything there, so the gap to it is the floor cost
// of reading a pipe at all. The runner reads the TypeScript sources, so it is bundled on the fly with esbuild
// (packages stay external and resolve from this repo's node_modules).
//
//   node bench/output-flood.mjs [--json] [--runs 5] [--lines 1000000]
//
// Targets: wall-time ratio <= 3, peak RSS of a process running the flood <= 250 MB.

import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
	const index = argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(argv[index + 1]);
};
const json = argv.includes('--json');
const runs = option('runs', 5);
const lines = option('lines', 1_000_000);
const command = `seq 1 ${lines}`;
const TARGET_RATIO = 3;
const TARGET_RSS_MB = 250;

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function bundleRunner() {
	const {build} = await import('esbuild');
	// Inside the repo's node_modules so that the bundle's `import 'execa'` resolves.
	const dir = path.join(root, 'node_modules', '.cache', 'runbook-bench');
	mkdirSync(dir, {recursive: true});
	const outfile = path.join(dir, 'exec.mjs');
	await build({
		entryPoints: [path.join(root, 'source/exec/index.ts')],
		outfile,
		bundle: true,
		packages: 'external',
		platform: 'node',
		target: 'node20',
		format: 'esm',
		logLevel: 'warning',
	});
	return outfile;
}

async function runRunner(exec, work) {
	const outputFile = path.join(work, 'flood.log');
	rmSync(outputFile, {force: true});
	const started = performance.now();
	const result = await exec.startRun({
		script: command,
		shell: exec.initialShellState(process.env, work),
		outputFile,
		onProgress: () => {},
	}).done;
	const ms = performance.now() - started;
	if (result.exitCode !== 0 || result.lines !== lines) {
		throw new Error(`runner run failed: exit ${result.exitCode}, ${result.lines} lines, ${result.error ?? ''}`);
	}
	return ms;
}

async function runPlain(work, discard = 'devnull') {
	const {execa} = await import('execa');
	const target = discard === 'devnull' ? {file: '/dev/null'} : 'ignore';
	const started = performance.now();
	const result = await execa('bash', ['-euo', 'pipefail', '-c', command], {
		cwd: work,
		stdin: 'ignore',
		stdout: target,
		stderr: target,
		reject: false,
	});
	const ms = performance.now() - started;
	if (result.exitCode !== 0) throw new Error(`plain run failed: exit ${result.exitCode}`);
	return ms;
}

// Child mode: one flood in a fresh process, reporting its peak resident set size.
async function child(kind, bundle) {
	const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-'));
	try {
		if (kind === 'runner') await runRunner(await import(pathToFileURL(bundle).href), work);
		else await runPlain(work);
		process.stdout.write(JSON.stringify({maxRssKb: process.resourceUsage().maxRSS}));
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

function peakRssMb(kind, bundle) {
	const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, bundle, '--lines', String(lines)], {
		cwd: root,
		encoding: 'utf8',
	});
	if (out.status !== 0) throw new Error(`child ${kind} failed: ${out.stderr}`);
	return JSON.parse(out.stdout).maxRssKb / 1024;
}

async function main() {
	const bundle = await bundleRunner();
	const exec = await import(pathToFileURL(bundle).href);
	const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-'));
	const runner = [];
	const plain = [];
	const ignored = [];
	try {
		// One warm-up each (JIT, page cache), then alternate so that machine noise hits all sides alike.
		await runRunner(exec, work);
		await runPlain(work);
		await runPlain(work, 'ignore');
		for (let i = 0; i < runs; i++) {
			runner.push(await runRunner(exec, work));
			plain.push(await runPlain(work));
			ignored.push(await runPlain(work, 'ignore'));
		}
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
	const runnerMs = median(runner);
	const plainMs = median(plain);
	const ignoredMs = median(ignored);
	const runnerRss = peakRssMb('runner', bundle);
	const plainRss = peakRssMb('plain', bundle);
	const round = (value, digits = 1) => Number(value.toFixed(digits));
	const results = [
		{
			name: `${command} wall time, median of ${runs} (runner vs plain execa to /dev/null)`,
			value: round(runnerMs),
			unit: 'ms',
			baseline: round(plainMs),
			ratio: round(runnerMs / plainMs, 2),
		},
		{
			name: `${command} wall time, median of ${runs} (runner vs plain execa, output ignored by the kernel; context)`,
			value: round(runnerMs),
			unit: 'ms',
			baseline: round(ignoredMs),
			ratio: round(runnerMs / ignoredMs, 2),
		},
		{
			name: `${command} peak RSS of the process (runner vs plain execa)`,
			value: round(runnerRss),
			unit: 'MB',
			baseline: round(plainRss),
			ratio: round(runnerRss / plainRss, 2),
		},
	];
	if (json) {
		process.stdout.write(`${JSON.stringify({results})}\n`);
		return;
	}
	const rows = [
		['measure', 'runner', 'plain execa', 'ratio', 'target'],
		['wall time (median), execa into /dev/null', `${round(runnerMs)} ms`, `${round(plainMs)} ms`, `${results[0].ratio}x`, `<= ${TARGET_RATIO}x`],
		['wall time (median), output ignored', `${round(runnerMs)} ms`, `${round(ignoredMs)} ms`, `${results[1].ratio}x`, 'context'],
		['peak RSS', `${round(runnerRss)} MB`, `${round(plainRss)} MB`, `${results[2].ratio}x`, `<= ${TARGET_RSS_MB} MB`],
	];
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	console.log(`output flood: ${command}, ${runs} runs each`);
	for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
	const list = (values) => values.map((ms) => round(ms)).join(', ');
	console.log(`runs (ms): runner ${list(runner)}; into /dev/null ${list(plain)}; ignored ${list(ignored)}`);
	const ok = runnerMs / plainMs <= TARGET_RATIO && runnerRss <= TARGET_RSS_MB;
	console.log(ok ? 'targets met' : 'TARGET MISSED');
}

if (argv[0] === '--child') await child(argv[1], argv[2]);
else await main();
