// Interactive blocks in a real terminal: they run in a pseudo-terminal of their own, so the operator's Ctrl-C reaches
// the command and nothing else (not the app, not npm that started it), their output is recorded and shown when the
// screen comes back, and a follower stopped with Ctrl-C lets the rest of its block run.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loadSession} from '../../source/session/session-load.js';
import {filesContaining} from '../helpers/outlive.js';
import {itNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const TOKEN = 'tok-pty-e2e-0123456789abcdef';
const NPM = ['npm', 'run', '--silent', 'runbook', '--'];

const fence = '```';
const RUNBOOK = `# Pty drill

## Wait

${fence}bash {interactive=true}
echo "waiting-started"
sleep 30
echo "never-printed"
${fence}

## Ask

${fence}bash {interactive=true}
echo "token is $API_TOKEN"
read -r -p "your name? " name
echo "hello $name"
printf "no newline at the end"
${fence}
`;

const FOLLOW = `# Follow drill

## Follow the logs

${fence}bash
kubectl logs -f -l app=overlord -n overlord-production
echo "after-logs"
${fence}
`;

function setup(name: string, text = RUNBOOK) {
  const base = tempDir(name);
  const stateDir = join(base, 'state');
  const file = join(base, 'drill.md');
  writeFileSync(file, text);
  return {base, stateDir, file};
}

const sessionId = (stateDir: string) => readdirSync(join(stateDir, 'sessions')).find(n => n.endsWith('.json'))!.replace(/\.json$/, '');
const runEvents = (stateDir: string) => loadSession(stateDir, sessionId(stateDir)).events.filter(e => e.type === 'run-started' || e.type === 'run-finished');

/** Goes to each step in turn (`G` the last, `p` the one before) and runs the block of the last one reached. */
async function runStep(t: Terminal, ...moves: Array<[key: string, title: string]>) {
  for (const [key, title] of moves) {
    t.keys(key);
    await t.wait(`${title} {2}[0-9]+/[0-9]+ · not started`);
  }
  t.keys('Enter');
}

describe('an interactive block', () => {
  it('started through npm run: Ctrl-C ends the command, the app stays, the run is recorded as stopped', async () => {
    const {stateDir, file} = setup('pty-npm');
    const t = new Terminal([file, '--state-dir', stateDir], {command: NPM, size: '100x30'});
    await t.wait('Pty drill', 30);
    await runStep(t, ['G', 'Ask'], ['p', 'Wait']);
    await t.wait('^waiting-started');
    t.keys('C-c');
    const screen = await t.wait(/⊘ (cancelled|stopped)/);
    expect(screen).toMatch(/│waiting-started/);
    expect(screen).not.toMatch(/│never-printed/);
    expect(t.alive()).toBe(true);
    const [started, finished] = runEvents(stateDir);
    expect(started).toMatchObject({type: 'run-started', interactive: true});
    expect(finished).toMatchObject({type: 'run-finished', cancelled: true});
    // Ctrl-C at once, while the screen is still handing the terminal over: it reaches the screen (a key there) or the
    // command, never the app's process group or npm's. One that lands before the command starts is pressed again.
    for (const [run, delay] of [[2, 0], [3, 10], [4, 30]] as const) {
      t.keys('Enter');
      await sleep(delay);
      for (let presses = 0; ; presses++) {
        t.keys('C-c');
        const ended = await t.wait(new RegExp(`run ${run} of ${run}`), 2).then(() => true, () => false);
        expect(t.alive()).toBe(true);
        if (ended) break;
        expect(presses).toBeLessThan(5);
      }
    }
    expect(runEvents(stateDir).filter(e => e.type === 'run-finished')).toHaveLength(4);
    t.keys('q');
    await t.wait('\\[runbook exited 0\\]');
  }, 60_000);

  it('shows its output in the pane when the screen comes back, and records it with secrets redacted', async () => {
    const {stateDir, file} = setup('pty-output');
    const t = new Terminal([file, '--state-dir', stateDir], {env: {API_TOKEN: TOKEN}, size: '100x30'});
    await t.wait('Pty drill');
    await runStep(t, ['G', 'Ask']);
    await t.wait('^your name\\?'); // on the handed-over terminal, not the code on the screen
    t.type('operator');
    t.keys('Enter');
    const screen = await t.wait('✓ exit 0');
    expect(screen).toMatch(/│token is \[REDACTED\]/);
    expect(screen).toMatch(/│your name\? operator/);
    expect(screen).toMatch(/│hello operator/);
    expect(screen).toMatch(/│no newline at the end/);
    const started = runEvents(stateDir).find(e => e.type === 'run-started') as {outputFile: string};
    const recorded = readFileSync(started.outputFile, 'utf8');
    expect(recorded).toContain('hello operator');
    expect(recorded).toContain('token is [REDACTED]');
    expect(filesContaining(stateDir, TOKEN)).toEqual([]);
    // The quit message starts a line of its own, never glued to the block's last words.
    t.keys('q');
    const after = await t.wait('saved; resume with');
    expect(after).toMatch(/^no newline at the end$/m);
    expect(after).toMatch(/^runbook: Pty drill — /m);
  }, 60_000);

  itNeeds(['kubectl'])('kubectl logs -f against the sandbox: Ctrl-C stops the logs, the next command runs, the step is done', async () => {
    const home = tempDir('pty-home');
    const {stateDir, file} = setup('pty-follow', FOLLOW);
    const t = new Terminal(['rehearse', file, '--state-dir', stateDir], {
      size: '120x40',
      env: {HOME: home},
      unset: ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN'],
    });
    await t.wait('REHEARSAL · sandbox', 30);
    await runStep(t, ['G', 'Follow the logs']);
    // Lines the pods go on logging while it follows them.
    await t.wait('GET /(health|api/v1/trading/markets) HTTP/1.1" 200 OK', 30);
    t.keys('C-c');
    const screen = await t.wait('Follow the logs {2}[0-9]+/[0-9]+ · done', 20);
    expect(screen).toMatch(/│after-logs/);
    expect(screen).toMatch(/✓ exit 0/);
    expect(t.alive()).toBe(true);
    const finished = runEvents(stateDir).find(e => e.type === 'run-finished');
    expect(finished).toMatchObject({exitCode: 0, cancelled: false});
    t.keys('q');
    await t.wait('\\[runbook exited 0\\]');
  }, 90_000);
});
