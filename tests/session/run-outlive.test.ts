// kill -9 of a runner mid-block (the app's controller, store and runner in a child process): nothing of the block
// lives on, no secret is left in clear on disk, and the next start says (and records) what became of the run.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {openSession} from '../../source/session/persistence.js';
import {runsDir} from '../../source/session/session-files.js';
import {filesContaining, markerProcesses, modesUnder, uniqueMarker, within} from '../helpers/outlive.js';
import {testTempDir} from '../helpers/temp.js';
import {childProgram} from './helpers.js';

const child = childProgram('outlive-child.ts');
const SECRET = 'pw-outlive-child-0451';
const TOKEN = 'ghp_outliveChildToken0123456789abcdef';

const runbookWith = (marker: string) => `# Outlive

## Deploy

\`\`\`bash
export DB_PASSWORD=${SECRET}
echo "password is $DB_PASSWORD"
bash -c 'exec -a ${marker} sleep 300' &
echo "deploy started"
bash -c 'exec -a ${marker} sleep 300'
\`\`\`
`;

function startChild(stateDir: string, file: string, tmp: string): Promise<{kill(): Promise<void>}> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child(), stateDir, file, 'drill'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, TMPDIR: tmp}});
    let out = '';
    let err = '';
    const exited = new Promise<void>(done => proc.on('exit', () => done()));
    proc.stdout.on('data', d => {
      out += d;
      if (out.includes('running\n')) resolve({kill: () => (proc.kill('SIGKILL'), exited)});
    });
    proc.stderr.on('data', d => (err += d));
    proc.on('error', reject);
    proc.on('exit', code => {
      if (!out.includes('running\n')) reject(new Error(`the runner ended before its block ran (${code}): ${err}`));
    });
  });
}

it('after kill -9 of the runner mid-block: the block is ended within 5 s, no secret or environment dump is left, and the next start says it ended with runbook', async () => {
  const base = testTempDir('outlive');
  const stateDir = join(base, 'state');
  const tmp = join(base, 'tmp'); // the runner's TMPDIR: nothing of the block may land there either
  mkdirSync(tmp);
  const marker = uniqueMarker('session');
  const file = join(base, 'outlive.md');
  writeFileSync(file, runbookWith(marker));

  const runner = await startChild(stateDir, file, tmp);
  expect(markerProcesses(marker).length).toBeGreaterThanOrEqual(2); // the block's shell, its background job, its foreground command
  await runner.kill();

  // The supervisor sees the runner go and ends the block's whole group (the background job included).
  expect(await within(5000, () => markerProcesses(marker).length === 0), `still alive: ${markerProcesses(marker).join(', ')}`).toBe(true);
  const leftOver = join(stateDir, 'tmp');
  expect(await within(5000, () => readdirSync(leftOver).length === 0), `left: ${readdirSync(leftOver).join(', ')}`).toBe(true);
  for (const value of [SECRET, TOKEN]) {
    expect(filesContaining(stateDir, value), value).toEqual([]);
    expect(filesContaining(tmp, value), value).toEqual([]);
  }
  // What the operator saw is on disk, masked.
  const log = readdirSync(runsDir(stateDir, 'drill')).find(n => n.endsWith('.log'))!;
  expect(readFileSync(join(runsDir(stateDir, 'drill'), log), 'utf8')).toContain('password is [REDACTED]');

  // A dump another crash left (its process long gone) is swept by the next start too.
  const stale = join(leftOver, 'shell-999999-abcdef');
  mkdirSync(stale);
  writeFileSync(join(stale, 'env'), `GITHUB_TOKEN=${TOKEN}\0`);

  const store = openSession(stateDir, 'drill');
  try {
    const runbook = parseRunbook(readFileSync(file, 'utf8'), {path: file});
    const controller = new SessionController({runbook, store, shell: {env: {PATH: process.env.PATH!}, cwd: base}});
    expect(existsSync(stale)).toBe(false);
    expect(controller.resolveInterruptedRuns()).toEqual([expect.stringMatching(/^ended when runbook was killed — export DB_PASSWORD=/)]);
    const run = controller.session.runs[0]!;
    expect(run.processGroup).toBeGreaterThan(1);
    expect(run.finished).toMatchObject({cancelled: true, exitCode: null, recovered: 'ended when runbook was killed'});
    expect(run.finished!.tail).toContain('deploy started');
    // The exit file said so; once recorded it is gone.
    expect(readdirSync(runsDir(stateDir, 'drill')).filter(n => n.endsWith('.exit'))).toEqual([]);
  } finally {
    store.close();
  }

  // Only the operator can read what is kept: 0600 files in 0700 directories.
  const loose = modesUnder(stateDir).filter(e => e.mode !== (e.directory ? 0o700 : 0o600));
  expect(loose.map(e => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
}, 60_000);
