// Secrets never reach the state dir: not as variable values, not in the environment record, not in commands,
// output tails, notes, the index, or the command output files.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {initialShellState} from '../../source/exec/index.js';
import {parseRunbook, walkSteps} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {createSession, openSession} from '../../source/session/durable-store.js';
import type {SessionEvent} from '../../source/session/events.js';
import {listSessions} from '../../source/session/session-index.js';
import {allFiles, RUNBOOK, tempStateDir} from './helpers.js';

const GH_TOKEN = 'ghp_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2';
const TYPED = 'Zq9-plain-words-no-shape-7x'; // a password with no recognisable shape: only known because it was typed

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

function expectNowhere(...needles: string[]) {
  const files = allFiles(state.dir);
  expect(files.length).toBeGreaterThan(0);
  for (const {path, text} of files) for (const needle of needles) expect(text.includes(needle), `${needle} found in ${path}`).toBe(false);
}

const at = '2025-03-01T14:02:00.000Z';

describe('the secret guard', () => {
  it('keeps tokens and secret values out of every file, whatever the caller passes', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'sec'});
    const events: SessionEvent[] = [
      // a caller that forgot to mask: secret-named, and secret by declaration
      {type: 'variable-set', name: 'GITHUB_TOKEN', value: GH_TOKEN, secret: false, at},
      {type: 'variable-set', name: 'DB_CONN', value: TYPED, secret: true, at},
      {type: 'variable-set', name: 'DEPLOY_PAT', value: 'pat-value-123456', secret: false, at},
      {type: 'shell-changed', env: {GH_TOKEN, KUBECONFIG: '/tmp/kc', OLD: null}, cwd: '/srv', at},
      {type: 'run-started', runId: 'r1', stepId: 's', blockId: 'b', command: `curl -H "Authorization: Bearer ${GH_TOKEN}" https://api`, outputFile: null, interactive: false, at},
      {type: 'run-finished', runId: 'r1', exitCode: 0, signal: null, cancelled: false, durationMs: 3, lines: 3, at,
        tail: [`token=${GH_TOKEN}`, `{"password": "${TYPED}"}`, `echoed later: ${TYPED}`]},
      {type: 'note', stepId: 's', text: `rotated ${GH_TOKEN}, old one was ${TYPED}`, at},
      {type: 'placeholder-set', text: '<token>', value: GH_TOKEN, at},
    ];
    for (const e of events) store.append(e);
    const kept = store.events();
    expect(kept[0]).toMatchObject({value: null, secret: true});
    expect(kept[1]).toMatchObject({value: null, secret: true});
    expect(kept[2]).toMatchObject({value: null, secret: true});
    expect(kept[3]).toMatchObject({env: {KUBECONFIG: '/tmp/kc', OLD: null}});
    expect(kept[3]?.type === 'shell-changed' && 'GH_TOKEN' in kept[3].env).toBe(false);
    expect(kept[4]).toMatchObject({command: 'curl -H "Authorization: Bearer [REDACTED]" https://api'});
    expect(kept[6]).toMatchObject({text: 'rotated [REDACTED], old one was [REDACTED]'});
    store.close();
    openSession(state.dir, 'sec').close(); // compaction writes the snapshot too
    listSessions(state.dir); // and the index
    expectNowhere(GH_TOKEN, TYPED, 'pat-value-123456');
  });

  it('masks values of secret-named variables in its environment, and values it is told about', () => {
    process.env.RB_TEST_API_TOKEN = 'env-token-value-xyz';
    try {
      const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'envsec', secrets: ['an-extra-known-secret']});
      store.append({type: 'note', stepId: 's', text: 'pasted an-extra-known-secret and env-token-value-xyz by mistake', at});
      store.addSecrets(['typed-later-secret']);
      store.append({type: 'note', stepId: 's', text: 'then typed-later-secret', at});
      store.close();
    } finally {
      delete process.env.RB_TEST_API_TOKEN;
    }
    expectNowhere('an-extra-known-secret', 'env-token-value-xyz', 'typed-later-secret');
  });

  it('through the real controller: a token typed as a variable and echoed by a command is nowhere in the state dir', async () => {
    const markdown = [
      '# Release',
      '',
      '## Publish',
      '',
      '```sh',
      'echo "using $GITHUB_TOKEN"',
      `echo "and a literal ${GH_TOKEN}"`,
      '```',
      '',
    ].join('\n');
    const runbook = parseRunbook(markdown, {path: 'release.md'});
    const store = createSession({stateDir: state.dir, runbook, kind: 'deploy', id: 'e2e'});
    const shell = initialShellState({PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: state.dir}, state.dir);
    const controller = new SessionController({runbook, store, shell});
    const block = walkSteps(runbook)[0]?.blocks[0];
    expect(block).toBeDefined();
    const result = await controller.run(block!.id, {variables: {GITHUB_TOKEN: GH_TOKEN}, placeholders: {}, confirmed: true});
    expect(result?.exitCode).toBe(0);
    store.close();
    const files = allFiles(state.dir);
    const log = files.find(f => f.path.endsWith('.log'));
    expect(log?.text).toContain('using [REDACTED]'); // the output file was written, redacted
    expectNowhere(GH_TOKEN);
  });
});
