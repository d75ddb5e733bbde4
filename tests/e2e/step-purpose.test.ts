// A step is done when its purpose is met, in a rehearsal of the guide: the `gh pr create` block fails (no gh here),
// `m` opens the PR through the sandbox GitHub, and the step turns done — on screen and in the record; a step of
// message templates turns done once its message is filled.
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterEach, describe, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {itNeeds} from '../helpers/requirements.js';
import {pushReleaseBranch} from '../helpers/sandbox-git.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const UNSET = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];

/** A rehearsal whose PATH finds a `gh` that fails as a missing one would, whatever this machine has installed. */
function rehearsal(name: string) {
  const home = tempDir(name);
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'gh'), '#!/bin/sh\necho "gh: command not found" >&2\nexit 127\n');
  chmodSync(join(bin, 'gh'), 0o755);
  const stateDir = join(home, 'state');
  const t = new Terminal(['rehearse', '--state-dir', stateDir], {size: '150x45', env: {HOME: home, PATH: `${bin}:${process.env.PATH}`}, unset: UNSET});
  return {t, stateDir, home};
}

async function reportOf(stateDir: string, format: 'md' | 'json') {
  const status = JSON.parse((await execa(process.execPath, [CLI, 'status', '--json', '--state-dir', stateDir])).stdout) as Array<{id: string}>;
  return (await execa(process.execPath, [CLI, 'report', status[0]!.id, '--format', format, '--state-dir', stateDir])).stdout;
}

describe('a step done by its purpose', () => {
  // The release branch m opens the PR from is pushed with git from the rehearsal's workspace (the guide's Step 1).
  itNeeds(['git'])('turns the failed gh pr create step done once m opened the PR, and the record says done by m', async () => {
    const {t, stateDir, home} = rehearsal('purpose-m');
    await t.wait('REHEARSAL · sandbox \\(default\\)', 30);
    await t.wait('PIPELINE CI/CD Full Cycle', 30);
    await pushReleaseBranch(stateDir, home);
    t.keys('/');
    t.type('Pull Request to Main');
    t.keys('Enter');
    await t.wait('Step 2: Create Pull Request to Main +[0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    await t.wait('✗ bash · exit 127', 20);
    // The failure says what does the block's job instead.
    await t.wait('Enter retry · m opens the release PR via the');
    expect(t.screen()).toMatch(/✗ +Step 2: Create Pull/);
    t.keys('m');
    await t.wait('✓ Opened #[0-9]+', 20);
    const screen = await t.wait('Step 2: Create Pull Request to Main +[0-9]+/[0-9]+ · done by m');
    expect(screen).toMatch(/✓ bash · done by m/);
    expect(screen).toMatch(/✓ +Step 2: Create Pull/);
    expect(screen).not.toMatch(/✗ Failed/);
    t.keys('q');
    await t.wait('Production Deployment Guide — ');

    const report = await reportOf(stateDir, 'md');
    expect(report).toMatch(/Done — Step 2: Create Pull Request to Main \(done by m: Opened #[0-9]+ /);
    expect(report).toMatch(/Ran natively \(m\) `gh pr create --base main --head release\/v1\.2\.0/);
    expect(report).toMatch(/\| Steps \| 1 done, 0 failed, 0 skipped of [0-9]+ \|/);
    const json = JSON.parse(await reportOf(stateDir, 'json')) as {entries: Array<{kind: string; doneBy?: string; step: string | null}>};
    expect(json.entries.find(e => e.kind === 'step-marked')).toMatchObject({doneBy: 'm', step: 'Step 2: Create Pull Request to Main'});
  });

  it('turns a step of templates done by filling its message', async () => {
    const {t, stateDir} = rehearsal('purpose-template');
    await t.wait('REHEARSAL · sandbox \\(default\\)', 30);
    t.keys('/');
    t.type('Deployment Success');
    t.keys('Enter');
    await t.wait('Deployment Success +[0-9]+/[0-9]+ · not started');
    await t.wait('⏎ on the message fills it from this session and copies it');
    t.keys('Enter');
    // The fields the session holds no fact for are asked first (an empty answer leaves them visibly open).
    for (let i = 0; i < 15 && !/Filled and copied/.test(t.screen()); i++) {
      await t.wait('fill in: |Filled and copied');
      if (/fill in: /.test(t.screen()) && !/Filled and copied/.test(t.screen())) t.keys('Enter');
      await sleep(150);
    }
    await t.wait('Filled and copied');
    const screen = await t.wait('Deployment Success +[0-9]+/[0-9]+ · done · message filled');
    expect(screen).toMatch(/message template · ✓ filled and copied/);
    expect(screen).toMatch(/✓ +Deployment Success/);
    t.keys('q');
    await t.wait('Production Deployment Guide — ');
    expect(await reportOf(stateDir, 'md')).toContain('Done — Deployment Success (done by filling its message and copying it)');
  });
});
