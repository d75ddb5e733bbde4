// runbook installed as a command (`npm install -g`), run from a directory that is not a runbook project: state goes
// to the XDG state directory, never into the directory it was started in, and `runbook` with no FILE lists what it
// knows (with the packaged guide) instead of opening a guide nobody asked for.
//
// The package is packed for real (`npm pack`: what `files` and `bin` ship) and installed for real with
// `npm install -g --prefix` (the bin link), but from the unpacked tarball with its dependencies taken from this
// checkout's node_modules: installing the tarball itself would fetch them from the registry, and no test may
// depend on the network.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {ROOT} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';

it('packs dist/ and runbooks/, installs a runbook command, and keeps state out of the directory it runs in', () => {
  const dir = testTempDir('install');
  const npmEnv = {...process.env, npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false'};
  // The bundle is built by the test run's global setup; packing must not rebuild it under other tests' feet.
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {cwd: ROOT, env: npmEnv, encoding: 'utf8'})) as Array<{filename: string; files: Array<{path: string}>}>;
  const files = packed!.files.map(f => f.path);
  expect(files).toContain('dist/cli.js');
  expect(files).toContain('runbooks/production-deployment-guide.md');
  expect(files.filter(f => /^(source|tests|state|bench|scripts)\//.test(f))).toEqual([]);

  const pkg = join(dir, 'package');
  execFileSync('tar', ['-xzf', join(dir, packed!.filename), '-C', dir]);
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const prefix = join(dir, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', pkg], {cwd: dir, env: npmEnv, stdio: 'pipe'});
  const runbook = join(prefix, 'bin', 'runbook');
  expect(existsSync(runbook)).toBe(true);

  const home = join(dir, 'home');
  const xdg = join(dir, 'xdg-state');
  const empty = join(dir, 'empty');
  for (const d of [home, xdg, empty]) mkdirSync(d);
  const run = (args: string[], env: Record<string, string>) =>
    execFileSync(runbook, args, {cwd: empty, encoding: 'utf8', env: {PATH: process.env.PATH!, HOME: home, NO_COLOR: '1', ...env}});

  // `runbook list`: the packaged guide (the installed copy, not this checkout's), and state in $XDG_STATE_HOME/runbook.
  const listed = run(['list', '--json'], {XDG_STATE_HOME: xdg});
  const [guide, ...others] = JSON.parse(listed) as Array<{path: string; source: string; title: string}>;
  expect(others).toEqual([]);
  expect(guide).toMatchObject({source: 'packaged', title: 'Production Deployment Guide'});
  expect(realpathSync(guide!.path)).toBe(join(realpathSync(pkg), 'runbooks', 'production-deployment-guide.md'));
  expect(readdirSync(join(xdg, 'runbook'))).toContain('cache');

  // `runbook` with no FILE: that list and how to open one, and nothing written where it was started.
  const bare = run([], {XDG_STATE_HOME: xdg});
  expect(bare).toMatch(/^FILE +TITLE +STEPS +CHECKS +LAST SESSION +STATE$/m);
  expect(bare).toMatch(/production-deployment-guide\.md +Production Deployment Guide +\d+ +\d+ +— +never opened/);
  expect(bare).toContain(`Open one with 'runbook `);
  expect(bare).toContain(`sessions are kept in ${join(xdg, 'runbook')}`);
  expect(readdirSync(empty)).toEqual([]);

  // No XDG_STATE_HOME: ~/.local/state/runbook; RUNBOOK_STATE_DIR and --state-dir still win.
  expect(run(['status'], {})).toBe(`No sessions in ${join(home, '.local', 'state', 'runbook')}.\n`);
  expect(run(['status'], {XDG_STATE_HOME: xdg, RUNBOOK_STATE_DIR: join(dir, 'env-state')})).toBe(`No sessions in ${join(dir, 'env-state')}.\n`);
  expect(run(['status', '--state-dir', 'here-state'], {XDG_STATE_HOME: xdg})).toBe('No sessions in here-state.\n');
  expect(readdirSync(empty)).toEqual([]);
}, 120_000);
