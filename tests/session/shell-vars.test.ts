// A plain variable a block sets (`SERVICE_IP=$(…)`, not exported) is the session's, as in one shell: the next block
// has it and is not asked for it, a resumed session still has it, and a secret-named one is never written anywhere.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {initialShellState} from '../../source/exec/index.js';
import {parseRunbook, walkSteps} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {createSession, openSession} from '../../source/session/durable-store.js';
import {buildReport, type SessionMeta} from '../../source/session/report.js';
import {formatReportMarkdown} from '../../source/session/report-markdown.js';
import {allFiles, tempStateDir} from './helpers.js';

const SECRET = 'plain-var-secret-Zq9x7';

const markdown = [
  '# Deploy',
  '',
  '## Check Service Endpoints',
  '',
  '```bash',
  'SERVICE_IP=10.0.0.7',
  `DB_PASSWORD=${SECRET}`,
  'echo "health http://${SERVICE_IP}:8000/health"',
  '```',
  '',
  '## Test Critical User Flows',
  '',
  '```bash',
  'echo "flows http://${SERVICE_IP}:8000 pw=${DB_PASSWORD}"',
  'bash -c \'echo "child ${SERVICE_IP-unset}"\'',
  '```',
  '',
].join('\n');

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

const answers = {variables: {}, placeholders: {}, confirmed: true};

describe('plain shell variables in a session', () => {
  it('count as set for the next block, survive a resume, and keep a secret-named one out of the record', async () => {
    const runbook = parseRunbook(markdown, {path: 'deploy.md'});
    const [first, second] = walkSteps(runbook).map(step => step.blocks[0]!);
    const shell = initialShellState({PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: state.dir}, state.dir);
    const store = createSession({stateDir: state.dir, runbook, kind: 'deploy', id: 'vars'});
    const controller = new SessionController({runbook, store, shell});
    // Before the first block ran, the second needs both.
    expect(controller.questions(second!.id).map(q => q.kind === 'variable' && q.name)).toEqual(['SERVICE_IP', 'DB_PASSWORD']);
    expect((await controller.run(first!.id, answers))?.exitCode).toBe(0);
    expect(controller.questions(second!.id)).toEqual([]);
    expect(controller.shell().vars).toEqual({SERVICE_IP: '10.0.0.7', DB_PASSWORD: SECRET});
    expect(controller.shell().env).not.toHaveProperty('SERVICE_IP');
    const ran = await controller.run(second!.id, answers);
    expect(ran?.tail).toEqual(['flows http://10.0.0.7:8000 pw=[REDACTED]', 'child unset']);
    const changed = store.events().find(e => e.type === 'shell-changed');
    expect(changed?.type === 'shell-changed' && changed.vars).toEqual({SERVICE_IP: '10.0.0.7'});
    store.close();

    // Resumed: the plain variable is back from the record; the secret was kept in memory only, so it is asked for.
    const reopened = openSession(state.dir, 'vars');
    const resumed = new SessionController({runbook, store: reopened, shell});
    expect(resumed.shell().vars).toEqual({SERVICE_IP: '10.0.0.7'});
    expect(resumed.questions(second!.id).map(q => q.kind === 'variable' && q.name)).toEqual(['DB_PASSWORD']);
    const again = await resumed.run(second!.id, {...answers, variables: {DB_PASSWORD: 'typed-again-Kx81'}});
    expect(again?.tail).toEqual(['flows http://10.0.0.7:8000 pw=[REDACTED]', 'child unset']);
    const meta = {version: 1, id: 'vars', kind: 'deploy', runbook: {path: 'deploy.md', hash: 'h', title: 'Deploy'}, createdAt: '', updatedAt: '', finished: false, finishedAt: null, totals: null, outline: null} as unknown as SessionMeta;
    const report = formatReportMarkdown(buildReport(meta, reopened.events(), runbook));
    expect(report).toContain('not exported: SERVICE_IP=10.0.0.7');
    reopened.close();

    const files = allFiles(state.dir);
    for (const {path, text} of files) expect(text.includes(SECRET), `the secret found in ${path}`).toBe(false);
  });
});
