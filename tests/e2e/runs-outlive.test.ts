// The real program in a terminal, killed or signalled while a block runs: no secret reaches the disk, no process of
// the block outlives runbook, the lock is released, the terminal is given back, and a resume says what became of
// the run.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readlinkSync, writeFileSync} from 'node:fs';
import {constants} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loadSession} from '../../source/session/session-load.js';
import {filesContaining, markerProcesses, modesUnder, uniqueMarker, within} from '../helpers/outlive.js';
import {CLI} from '../helpers/paths.js';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const SECRET = 'hunter2-outlive-e2e-secret';
const TOKEN = 'tok-outlive-e2e-0123456789';

const runbook = (marker: string) => `# Outlive drill

## Secret

\`\`\`bash
export DB_PASSWORD=${SECRET}
echo "the password is $DB_PASSWORD"
\`\`\`

## Deploy

\`\`\`bash
export API_TOKEN=${TOKEN}
echo "token is $API_TOKEN"
bash -c 'exec -a ${marker} sleep 300' &
echo "deploy started"
bash -c 'exec -a ${marker} sleep 300'
\`\`\`

## Watch

\`\`\`bash {interactive=true}
echo "watching started"
bash -c 'exec -a ${marker} sleep 300'
\`\`\`
`;

/** A state directory, the app's own TMPDIR (it must stay clean too) and the runbook, in one test directory. */
function setup(name: string) {
  const base = tempDir(name);
  const stateDir = join(base, 'state');
  const tmp = join(base, 'tmp');
  mkdirSync(tmp);
  const marker = uniqueMarker(name);
  const file = join(base, 'outlive.md');
  writeFileSync(file, runbook(marker));
  const open = () => new Terminal([file, '--state-dir', stateDir], {env: {TMPDIR: tmp}});
  return {base, stateDir, tmp, marker, file, open};
}

/** Opens the step `back` steps before the last one (Watch is last) and runs its block. */
async function runStep(t: Terminal, title: string, back: number, shows: string) {
  await t.wait('Outlive drill');
  t.keys('G', ...Array<string>(back).fill('p'));
  await t.wait(`${title}  [0-9]+/`);
  t.keys('Enter');
  await t.wait(shows);
}

const sessionId = (stateDir: string) => readdirSync(join(stateDir, 'sessions')).find(n => n.endsWith('.json'))!.replace(/\.json$/, '');
/** How the session recorded the end of its (only) run. */
const runEnd = (stateDir: string) => loadSession(stateDir, sessionId(stateDir)).events.find(e => e.type === 'run-finished');
const locks = (stateDir: string) => readdirSync(join(stateDir, 'sessions')).filter(n => n.endsWith('.lock'));
const dumps = (stateDir: string) => (existsSync(join(stateDir, 'tmp')) ? readdirSync(join(stateDir, 'tmp')) : []);

describe('a secret the block exports and echoes', () => {
  it('is nowhere on disk in clear: not in the state directory, not in the temporary directory', async () => {
    const {stateDir, tmp, open} = setup('secret');
    const t = open();
    await runStep(t, 'Secret', 2, '✓ exit 0');
    expect(t.screen()).toContain('the password is [REDACTED]');
    t.keys('q');
    await t.wait('saved; resume with');
    expect(filesContaining(stateDir, SECRET)).toEqual([]);
    expect(filesContaining(tmp, SECRET)).toEqual([]);
    expect(dumps(stateDir)).toEqual([]);
    const loose = modesUnder(stateDir).filter(e => e.mode !== (e.directory ? 0o700 : 0o600));
    expect(loose.map(e => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
  });
});

describe('kill -9 of runbook while a block runs', () => {
  it('ends the block within 5 s, leaves no secret or environment dump, and the resume says what became of the run', async () => {
    const {stateDir, tmp, marker, open} = setup('kill9');
    const t = open();
    await runStep(t, 'Deploy', 1, '│deploy started');
    expect(markerProcesses(marker).length).toBeGreaterThanOrEqual(2);
    process.kill(t.appPid(), 'SIGKILL');
    await t.wait('runbook exited 137');
    expect(await within(5000, () => markerProcesses(marker).length === 0), `still alive: ${markerProcesses(marker).join(', ')}`).toBe(true);
    expect(filesContaining(stateDir, TOKEN)).toEqual([]);
    expect(filesContaining(tmp, TOKEN)).toEqual([]);
    // Before any resume, the report already knows from what the block's supervisor noted.
    const before = execFileSync(process.execPath, [CLI, 'report', sessionId(stateDir), '--state-dir', stateDir], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
    expect(before).toContain('ended when runbook was killed');

    const again = open();
    await again.wait('Resume session started');
    again.keys('Enter');
    const screen = await again.wait('ended when runbook was killed');
    expect(screen).toMatch(/Deploy {2}\d+\/\d+/);
    expect(dumps(stateDir)).toEqual([]);
    again.keys('q');
    await again.wait('saved; resume with');
    const id = sessionId(stateDir);
    const report = execFileSync(process.execPath, [CLI, 'report', id, '--state-dir', stateDir], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
    expect(report).toContain('ended when runbook was killed');
    expect(report).not.toContain('no exit recorded');
    expect(filesContaining(stateDir, TOKEN)).toEqual([]);
  }, 60_000);
});

describe('kill -9 of runbook while an interactive block has the terminal', () => {
  it('ends the interactive command within 5 s too, and the resume says so', async () => {
    const {stateDir, marker, open} = setup('kill9-attached');
    const t = open();
    await runStep(t, 'Watch', 0, 'watching started');
    expect(await within(3000, () => markerProcesses(marker).length >= 2)).toBe(true);
    process.kill(t.appPid(), 'SIGKILL');
    await t.wait('runbook exited 137');
    expect(await within(5000, () => markerProcesses(marker).length === 0), `still alive: ${markerProcesses(marker).join(', ')}`).toBe(true);
    const again = open();
    await again.wait('Resume session started');
    again.keys('Enter');
    await again.wait('ended when runbook was killed');
    expect(dumps(stateDir)).toEqual([]);
  }, 60_000);
});

/** The terminal modes of the program's terminal, as `stty` reads them from its device. */
const sttyOf = (device: string) => execFileSync('stty', ['-a', '-F', device], {encoding: 'utf8'});

describe.each(['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGHUP'] as const)('%s sent to runbook while a block runs', signal => {
  const status = 128 + constants.signals[signal];

  it(`ends the block's whole process group, releases the lock, gives the terminal back and exits ${status}`, async () => {
    const {stateDir, marker, open} = setup(`signal-${signal.toLowerCase()}`);
    const t = open();
    await runStep(t, 'Deploy', 1, '│deploy started');
    expect(locks(stateDir)).toHaveLength(1);
    const app = t.appPid();
    const device = readlinkSync(`/proc/${app}/fd/0`);
    expect(sttyOf(device)).toMatch(/ -icanon /); // raw while the app draws
    process.kill(app, signal);
    await t.wait(`\\[runbook exited ${status}\\]`);
    expect(await within(1000, () => markerProcesses(marker).length === 0), `still alive: ${markerProcesses(marker).join(', ')}`).toBe(true);
    expect(locks(stateDir)).toEqual([]);
    const raw = t.raw();
    const entered = raw.lastIndexOf('\x1b[?1049h');
    expect(entered).toBeGreaterThan(-1);
    expect(raw.indexOf('\x1b[?1049l', entered)).toBeGreaterThan(entered);
    expect(raw.slice(entered)).toContain('\x1b[?25h');
    expect(sttyOf(device)).toMatch(/ icanon /);
    expect(sttyOf(device)).toMatch(/ echo /);
    expect(dumps(stateDir)).toEqual([]);
    expect(runEnd(stateDir)).toMatchObject({cancelled: true, error: `ended by ${signal} to runbook`});
  });
});

describe.each(['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGHUP'] as const)('%s sent to runbook while an interactive block has the terminal', signal => {
  const status = 128 + constants.signals[signal];

  it(`ends the interactive command's whole group too, and exits ${status}`, async () => {
    const {stateDir, marker, open} = setup(`attached-${signal.toLowerCase()}`);
    const t = open();
    await runStep(t, 'Watch', 0, 'watching started');
    expect(await within(3000, () => markerProcesses(marker).length >= 2)).toBe(true);
    process.kill(t.appPid(), signal);
    await t.wait(`\\[runbook exited ${status}\\]`);
    expect(await within(1000, () => markerProcesses(marker).length === 0), `still alive: ${markerProcesses(marker).join(', ')}`).toBe(true);
    expect(locks(stateDir)).toEqual([]);
    expect(t.raw().slice(t.raw().lastIndexOf('watching started'))).not.toContain('\x1b[?1049h');
    expect(runEnd(stateDir)).toMatchObject({cancelled: true, error: `ended by ${signal} to runbook`});
  });
});
