// `runbook status` lists the follow-ups due or overdue after a deploy, across sessions, after the app that recorded the
// deploy has been closed: the session is written by the controller as the app writes it (its clock set two hours
// back), then listed by statusCommand with an injected now and by the built CLI with RUNBOOK_NOW.
import {execFileSync} from 'node:child_process';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {statusCommand} from '../../source/commands/status.js';
import {SessionController} from '../../source/session/controller.js';
import {createSession} from '../../source/session/durable-store.js';
import {outlineOf} from '../../source/session/summary.js';
import {capture} from '../helpers/capture.js';
import {CLI} from '../helpers/paths.js';
import {tempStateDir} from '../session/helpers.js';
import {deployTimeline, guide, RUNBOOK, step, T0, writeSession} from '../session/history.js';

const MIN = 60_000;
const DONE = T0 + 10 * MIN; // Step 9 done at 09:10Z
const NOW = DONE + 120 * MIN; // two hours later
let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

/** A deploy session whose Step 9 was marked done at DONE, with T+0 ticked; the app closed afterwards. */
function deployedSession(id: string) {
  let now = T0;
  const store = createSession({stateDir: state.dir, id, kind: 'deploy', runbook: RUNBOOK, ...outlineOf(guide), now: () => new Date(T0)});
  const controller = new SessionController({runbook: guide, store, shell: {env: {}, cwd: state.dir}, actor: {user: 'alice', host: 'laptop'}, now: () => new Date(now)});
  now = DONE;
  controller.mark(step('step-9-monitor-deployment').id, 'done', 'rollout complete');
  controller.tickFollowUp('T+0', 'pods 3/3, health 200');
  store.close();
}

describe('runbook status: follow-ups after the deploy', () => {
  it('lists the overdue and due ones of a session deployed two hours ago, not the ticked or upcoming ones', async () => {
    deployedSession('dep-1');
    writeSession(state.dir, {id: 'old-1', kind: 'deploy', events: deployTimeline().events}); // never deployed: nothing due
    const {code, out} = await capture(() => statusCommand({stateDir: state.dir, json: false, now: new Date(NOW)}));
    expect(code).toBe(0);
    const section = out.slice(out.indexOf('follow-ups due') - 2);
    expect(section).toMatch(/^3 follow-ups due after a deploy/);
    expect(section).toMatch(/SESSION +DUE +FOLLOW-UP +WHO +STATE/);
    expect(section).toMatch(/dep-1 .* T\+15min Check metrics baseline +DevOps Engineer +overdue by 1h 45m/);
    expect(section).toMatch(/dep-1 .* T\+30min Review error logs +Backend Engineer +overdue by 1h 30m/);
    expect(section).toMatch(/dep-1 .* T\+1hr Validate business metrics +Product Owner +overdue by 1h/);
    expect(section).not.toContain('T+0 ');
    expect(section).not.toContain('T+4hr');
    expect(section).not.toContain('old-1');
  });

  it('--json: per session, when the deploy completed, what is due, and what comes next', async () => {
    deployedSession('dep-1');
    const {out} = await capture(() => statusCommand({stateDir: state.dir, json: true, now: new Date(NOW)}));
    const [row] = JSON.parse(out);
    expect(row.followUps).toMatchObject({deployCompletedAt: new Date(DONE).toISOString(), done: 1, total: 7});
    expect(row.followUps.due.map((d: {id: string; state: string}) => `${d.id} ${d.state}`)).toEqual(['T+15min overdue', 'T+30min overdue', 'T+1hr overdue']);
    expect(row.followUps.next).toMatchObject({id: 'T+15min', who: 'DevOps Engineer', dueAt: new Date(DONE + 15 * MIN).toISOString()});
  });

  it('the built CLI, its clock set by RUNBOOK_NOW: the same listing, and nothing due before the deploy', () => {
    deployedSession('dep-1');
    const run = (now: number, ...args: string[]) =>
      execFileSync(process.execPath, [CLI, 'status', '--state-dir', state.dir, ...args], {env: {...process.env, RUNBOOK_NOW: new Date(now).toISOString(), NO_COLOR: '1'}, encoding: 'utf8'});
    expect(run(NOW)).toMatch(/dep-1 .* T\+1hr Validate business metrics +Product Owner +overdue by 1h/);
    expect(run(DONE + 5 * MIN)).not.toContain('follow-ups due');
    expect(JSON.parse(run(NOW, '--json'))[0].followUps.due).toHaveLength(3);
  });
});
