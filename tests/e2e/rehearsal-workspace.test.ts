// A rehearsal never runs a block in the directory it was started from: `npm start` in a real checkout with a real
// origin must not be able to push it. Every block runs in <state>/sandbox/workspace — a clone of the sandbox's
// repository, whose origin is the sandbox — and git there never finds the checkout around it (the default state dir,
// ./state, is inside the checkout). The guide's `cd /path/to/<repository>` is answered with that workspace.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {describeNeeds} from '../helpers/requirements.js';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, {cwd, encoding: 'utf8', env: {...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x'}});

const RUNBOOK = `# Rehearsed

## Touch

\`\`\`bash
pwd > marker
touch created-here
git rev-parse --show-toplevel > toplevel 2>&1 || true
git status --porcelain > status 2>&1 || true
\`\`\`

## Leave

\`\`\`bash
cd /
\`\`\`

## Where

\`\`\`bash
pwd > where
\`\`\`

## Checkout

\`\`\`bash
cd /path/to/overlord-trading-system-v8
git remote get-url origin > origin-url
git describe --tags > described
\`\`\`
`;

describeNeeds(['git'])('a rehearsal', () => {
  it('runs every block in the scratch workspace, never in the checkout it was started from', async () => {
    const dir = tempDir('rehearsal-ws');
    const origin = join(dir, 'origin.git');
    const checkout = join(dir, 'checkout');
    git(dir, 'init', '-q', '--bare', origin);
    git(dir, 'clone', '-q', origin, checkout);
    writeFileSync(join(checkout, 'README.md'), 'the real thing\n');
    writeFileSync(join(checkout, '.gitignore'), 'state/\n'); // as in this repository: the state dir lives in the checkout
    git(checkout, 'add', '.');
    git(checkout, 'commit', '-qm', 'real');
    git(checkout, 'push', '-q', 'origin', 'HEAD');
    const before = {status: git(checkout, 'status', '--porcelain', '--ignored'), head: git(checkout, 'rev-parse', 'HEAD'), origin: git(origin, 'rev-parse', 'HEAD')};
    const file = join(dir, 'rehearsed.md');
    writeFileSync(file, RUNBOOK);
    // A runbook project, as this repository is (runbooks/ in it): the default state dir is ./state, in the checkout.
    mkdirSync(join(checkout, 'runbooks'));

    const t = new Terminal(['rehearse', file], {size: '120x40', cwd: checkout, env: {HOME: dir}, unset: ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'RUNBOOK_STATE_DIR']});
    await t.wait('REHEARSAL', 30);
    await t.wait('Touch  1/4');
    t.keys('Enter');
    await t.wait('✓ exit 0', 30);
    t.keys('n');
    await t.wait('Leave  2/4');
    t.keys('Enter');
    await t.wait('✓ exit 0');
    t.keys('n');
    await t.wait('Where  3/4');
    t.keys('Enter');
    await t.wait('✓ exit 0');
    t.keys('n');
    await t.wait('Checkout  4/4');
    t.keys('Enter');
    // The repository's checkout is proposed as the rehearsal's workspace (Enter keeps it).
    await t.wait('Enter keeps: .*state/sandbox/workspace');
    t.keys('Enter');
    await t.wait('✓ exit 0');
    t.keys('q');
    await t.wait('runbook exited 0', 30);

    const workspace = join(checkout, 'state', 'sandbox', 'workspace');
    expect(readFileSync(join(workspace, 'marker'), 'utf8').trim()).toBe(workspace);
    expect(existsSync(join(workspace, 'created-here'))).toBe(true);
    expect(existsSync(join(checkout, 'marker'))).toBe(false);
    expect(existsSync(join(checkout, 'created-here'))).toBe(false);
    // git in the workspace finds the workspace itself, a clone of the sandbox repository: never the checkout around it
    expect(readFileSync(join(workspace, 'toplevel'), 'utf8').trim()).toBe(workspace);
    expect(readFileSync(join(workspace, 'status'), 'utf8')).toContain('?? created-here');
    expect(readFileSync(join(workspace, 'origin-url'), 'utf8').trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/legion14041981-ui\/overlord-trading-system-v8\.git$/);
    expect(readFileSync(join(workspace, 'described'), 'utf8').trim()).toBe('v1.1.0');
    // a block that left the workspace does not take the next one with it
    expect(readFileSync(join(workspace, 'where'), 'utf8').trim()).toBe(workspace);
    expect(git(checkout, 'status', '--porcelain')).toBe(before.status.split('\n').filter(l => !l.startsWith('!!')).join('\n'));
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(before.head);
    expect(git(origin, 'rev-parse', 'HEAD')).toBe(before.origin);
  }, 120_000);
});
