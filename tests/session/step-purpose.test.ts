// A step is done when its purpose is met: a block's job done natively (m, A, u), a step of templates filled, a step
// of rollback triggers assessed. The rules (pure), then the session's services that record what the rules call for.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import type {RunbookNode} from '../../source/runbook/model.js';
import {SessionController} from '../../source/session/controller.js';
import type {SessionEvent} from '../../source/session/events.js';
import {buildReport, firstRollback, formatReportMarkdown} from '../../source/session/report.js';
import {decodeSessionFile} from '../../source/session/schema.js';
import {SessionActions, type Screen} from '../../source/session/session-actions.js';
import {applyEvent, emptySessionState, foldEvents, stepStatus, type SessionState} from '../../source/session/session-state.js';
import {assessmentMark, assessedWords, blockDoneBy, nativeMark, nativeRemedy, purposeHint, purposeOf, statusWords, templateMark} from '../../source/session/step-purpose.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {testTempDir} from '../helpers/temp.js';

const markdown = `# Release

## Open the PR

\`\`\`bash
gh pr create --base main --head release/v1.2.0 --title "Release v1.2.0" --body "x"
\`\`\`

## Review

- [ ] reviewed

\`\`\`bash
gh pr review --approve --body "LGTM"
\`\`\`

## Approve

\`\`\`bash
gh api --method POST "/repos/o/r/actions/runs/\${RUN_ID}/pending_deployments" -f state='approved'
\`\`\`

## Undo

\`\`\`bash
kubectl rollout undo deployment/web -n prod
kubectl rollout status deployment/web -n prod
\`\`\`

## When to Rollback

- 🔴 Data corruption detected
- 🟡 Elevated error rates

## Announce

\`\`\`
Deploying {{service}} now.
\`\`\`

## Announce twice

\`\`\`
Starting.
\`\`\`

\`\`\`
Finished.
\`\`\`

## Read me

Just words.
`;

const runbook = parseRunbook(markdown);
const stepNamed = (steps: readonly RunbookNode[], title: string) => steps.find(s => s.title === title)!;
const steps = runbook.sections.flatMap(s => (s.children.length ? s.children : [s]));
const step = (title: string) => stepNamed(steps, title);

let clock = Date.parse('2025-05-01T10:00:00Z');
const at = () => new Date((clock += 1000)).toISOString();
const ran = (stepId: string, blockId: string, exitCode: number, runId: string, native?: 'm' | 'A' | 'u'): SessionEvent[] => [
  {type: 'run-started', runId, stepId, blockId, command: native ? 'gh pr create …  # native' : 'gh pr create …', outputFile: null, interactive: false, at: at(), ...(native ? {native} : {})},
  {type: 'run-finished', runId, exitCode, signal: null, cancelled: false, durationMs: 10, lines: 1, tail: [exitCode ? 'gh: command not found' : 'Opened #12'], at: at()},
];

describe('what a step is for', () => {
  it('tells work, templates, assessment and reading apart', () => {
    expect(purposeOf(step('Open the PR'))).toBe('work');
    expect(purposeOf(step('Review'))).toBe('work');
    expect(purposeOf(step('When to Rollback'))).toBe('assessment');
    expect(purposeOf(step('Announce'))).toBe('templates');
    expect(purposeOf(step('Read me'))).toBe('reading');
  });

  it('finds the block an approval (A) or a rollback (u) does, and none where the step has none', () => {
    expect(blockDoneBy(step('Approve'), 'A')?.id).toBe(step('Approve').blocks[0]!.id);
    expect(blockDoneBy(step('Undo'), 'u')?.id).toBe(step('Undo').blocks[0]!.id);
    expect(blockDoneBy(step('Undo'), 'A')).toBeNull();
    expect(blockDoneBy(step('Open the PR'), 'u')).toBeNull();
  });
});

describe('a failed block whose job a native action did', () => {
  it('makes the step done, marked "done by m" with what it did', () => {
    const open = step('Open the PR');
    const block = open.blocks[0]!.id;
    let state = foldEvents(ran(open.id, block, 127, 'r1'));
    expect(stepStatus(state, open)).toBe('failed');
    state = ran(open.id, block, 0, 'r2', 'm').reduce(applyEvent, state);
    expect(stepStatus(state, open)).toBe('done');
    const mark = nativeMark(state, open, 'm', 'Opened #12 https://github.com/o/r/pull/12');
    expect(mark).toEqual({reason: 'done by m: Opened #12 https://github.com/o/r/pull/12', doneBy: 'm'});
    state = applyEvent(state, {type: 'step-marked', stepId: open.id, status: 'done', reason: mark!.reason, doneBy: 'm', at: at()});
    expect(statusWords(state, open, stepStatus(state, open))).toBe('done by m');
    // Marked once: the rule does not mark it again.
    expect(nativeMark(state, open, 'm', 'again')).toBeNull();
  });

  it('is offered in the failure hint: what does the failed block natively, when the session reaches it', () => {
    const open = step('Open the PR');
    const failed = foldEvents(ran(open.id, open.blocks[0]!.id, 127, 'r5'));
    expect(nativeRemedy(failed, open, {github: true, cluster: false})).toBe('m opens the release PR via the API');
    expect(nativeRemedy(failed, open, {github: false, cluster: true})).toBeNull();
    const undo = step('Undo');
    expect(nativeRemedy(foldEvents(ran(undo.id, undo.blocks[0]!.id, 1, 'r6')), undo, {github: true, cluster: true})).toBe('u rolls back natively');
  });

  it('leaves a step with an unticked item to be done the usual way once it is ticked', () => {
    const review = step('Review');
    let state = ran(review.id, review.blocks[0]!.id, 0, 'r3', 'm').reduce(applyEvent, emptySessionState());
    expect(nativeMark(state, review, 'm', 'Approved #12')).toBeNull();
    expect(stepStatus(state, review)).toBe('in-progress');
    state = applyEvent(state, {type: 'check-toggled', stepId: review.id, itemId: review.checklist[0]!.id, checked: true, at: at()});
    expect(stepStatus(state, review)).toBe('done');
  });

  it('never overrides what the operator marked', () => {
    const open = step('Open the PR');
    let state = foldEvents([{type: 'step-marked', stepId: open.id, status: 'skipped', reason: 'done on the web', at: at()}]);
    state = ran(open.id, open.blocks[0]!.id, 0, 'r4', 'm').reduce(applyEvent, state);
    expect(nativeMark(state, open, 'm', 'Opened #12')).toBeNull();
    expect(stepStatus(state, open)).toBe('skipped');
  });
});

describe('a step of templates', () => {
  const filled = (state: SessionState, blockId: string, stepId: string) => applyEvent(state, {type: 'note', stepId, text: 'Filled', filled: blockId, at: at()});

  it('is done once its message was filled, all of them when it has several', () => {
    const one = step('Announce');
    expect(templateMark(emptySessionState(), one)).toBeNull();
    expect(templateMark(filled(emptySessionState(), one.blocks[0]!.id, one.id), one)).toEqual({reason: 'done by filling its message and copying it', doneBy: 'template'});
    const two = step('Announce twice');
    const half = filled(emptySessionState(), two.blocks[0]!.id, two.id);
    expect(templateMark(half, two)).toBeNull();
    expect(templateMark(filled(half, two.blocks[1]!.id, two.id), two)?.reason).toBe('done by filling its 2 messages and copying them');
    expect(purposeHint(emptySessionState(), one, 'not-started')).toMatch(/⏎ on the message fills it/);
  });
});

describe('a step of rollback triggers', () => {
  const triggers = step('When to Rollback');

  it('is assessed by a trigger ticked as holding, or by moving on with none ticked', () => {
    expect(assessmentMark(emptySessionState(), triggers, false)).toBeNull();
    expect(assessmentMark(emptySessionState(), triggers, true)).toEqual({reason: 'assessed: none of the 2 triggers holds', doneBy: 'assessment'});
    const ticked = foldEvents([{type: 'check-toggled', stepId: triggers.id, itemId: triggers.triggers[0]!.id, checked: true, at: at()}]);
    expect(assessmentMark(ticked, triggers, false)?.reason).toBe('assessed: “🔴 Data corruption detected” holds');
    expect(assessedWords(triggers.triggers, triggers.triggers)).toBe('assessed: 2 of 2 triggers hold: “🔴 Data corruption detected”, “🟡 Elevated error rates”');
    expect(assessmentMark(ticked, step('Review'), true)).toBeNull();
  });
});

/** The session's services with a screen that only listens. */
function services() {
  const dir = testTempDir('purpose');
  const store = new MemorySessionStore('s1', join(dir, 'runs'));
  const controller = new SessionController({runbook, store, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}, actor: {user: 'ops', host: 'laptop'}});
  const said: string[] = [];
  const copied: string[] = [];
  const screen: Screen = {say: text => said.push(text), go: () => {}, copy: text => copied.push(text)};
  return {controller, store, actions: new SessionActions(controller), screen, said, copied};
}

const at0 = (c: SessionController, title: string) => stepNamed(c.steps, title);

describe('the session services', () => {
  it('fill a template step to done, recorded as filled and marked', () => {
    const {controller, store, actions, screen, copied} = services();
    const announce = at0(controller, 'Announce');
    actions.carryOut({kind: 'template', blockId: announce.blocks[0]!.id}, screen, {history: []});
    expect(copied[0]).toContain('Deploying web now.'); // the runbook's workload
    expect(store.events().find(e => e.type === 'note')).toMatchObject({filled: announce.blocks[0]!.id});
    expect(stepStatus(controller.session, announce)).toBe('done');
    expect(controller.session.marks[announce.id]).toMatchObject({doneBy: 'template'});
  });

  it('record a trigger ticked as the assessment; moving on from an unticked one says none holds; reading stays "read"', () => {
    const {controller, actions} = services();
    const triggers = at0(controller, 'When to Rollback');
    actions.tick(triggers.id, triggers.triggers[1]!.id);
    expect(controller.session.marks[triggers.id]).toMatchObject({status: 'done', doneBy: 'assessment', reason: 'assessed: “🟡 Elevated error rates” holds'});
    const other = services();
    const t2 = at0(other.controller, 'When to Rollback');
    other.actions.leave(t2.id, t2.triggers.length);
    expect(other.controller.session.marks[t2.id]?.reason).toBe('assessed: none of the 2 triggers holds');
    const read = at0(other.controller, 'Read me');
    other.actions.leave(read.id, 0);
    expect(other.controller.session.marks[read.id]).toEqual({status: 'done', reason: 'read'});
    // A template step is not done by moving past it.
    const announce = at0(other.controller, 'Announce');
    other.actions.leave(announce.id, 1);
    expect(stepStatus(other.controller.session, announce)).toBe('not-started');
  });

  it('record an approval (A) as a run of the step’s approving block, and the step done by A; a rejection apart', () => {
    const {controller, store, actions} = services();
    const approve = at0(controller, 'Approve');
    const report = {runId: 7, environments: ['production'], comment: 'ok', message: 'Approved production', result: 'ok' as const};
    actions.recordApproval(approve.id, {...report, what: 'reject'});
    expect(store.events().find(e => e.type === 'run-started')).toMatchObject({blockId: `${approve.id}#native`, native: 'A'});
    expect(stepStatus(controller.session, approve)).toBe('in-progress');
    expect(controller.session.marks[approve.id]).toBeUndefined();
    actions.recordApproval(approve.id, {...report, what: 'approve'});
    expect(store.events().filter(e => e.type === 'run-started').at(-1)).toMatchObject({blockId: approve.blocks[0]!.id, native: 'A'});
    expect(controller.session.marks[approve.id]).toMatchObject({status: 'done', doneBy: 'A', reason: 'done by A: Approved production'});
  });

  it('record a rollback (u): done once the rollout ended well, failed when it did not', () => {
    const {controller, actions} = services();
    const undo = at0(controller, 'Undo');
    const e = {namespace: 'prod', deployment: 'web', fromRevision: 3, toRevision: 2, image: 'web:v1'} as const;
    actions.recordUndo(undo.id, {...e, result: 'rolled back', message: 'deployment.apps/web rolled back'}, true);
    expect(controller.session.marks[undo.id]).toBeUndefined();
    actions.recordUndo(undo.id, {...e, result: 'failed', message: 'exceeded its progress deadline'}, false);
    expect(stepStatus(controller.session, undo)).toBe('failed');
    actions.recordUndo(undo.id, {...e, result: 'rolled back', message: 'deployment.apps/web rolled back'}, true);
    actions.recordUndo(undo.id, {...e, result: 'rolled back', message: 'deployment "web" successfully rolled out'}, false);
    expect(stepStatus(controller.session, undo)).toBe('done');
    expect(controller.session.marks[undo.id]?.reason).toBe('done by u: deployment "web" successfully rolled out');
  });
});

describe('the record', () => {
  const meta = {version: 1 as const, id: 's1', runbook: {path: 'r.md', hash: 'h', title: 'Release'}, kind: 'rehearsal' as const, createdAt: '2025-05-01T10:00:00Z', updatedAt: '2025-05-01T10:00:00Z', finished: false, finishedAt: null, totals: null, outline: null};

  it('loads sessions written before steps could be done by their purpose, and the new fields', () => {
    const old = [{type: 'step-marked', stepId: 'a', status: 'done', reason: 'by hand', at: '2025-05-01T10:00:00Z'}, {type: 'note', stepId: 'a', text: 'hi', at: '2025-05-01T10:00:01Z'}];
    expect(decodeSessionFile({...meta, events: old}).events).toEqual(old);
    const now = [
      {type: 'step-marked', stepId: 'a', status: 'done', reason: 'done by m: Opened #12', doneBy: 'm', at: '2025-05-01T10:00:00Z'},
      {type: 'note', stepId: 'a', text: 'Filled', filled: 'a#code-1', at: '2025-05-01T10:00:01Z'},
      {type: 'run-started', runId: 'r', stepId: 'a', blockId: 'a#code-2', command: 'gh pr create', outputFile: null, interactive: false, native: 'm', at: '2025-05-01T10:00:02Z'},
    ];
    expect(decodeSessionFile({...meta, events: now}).events).toEqual(now);
  });

  it('says "done by m" in the report, and an assessment is not a rollback', () => {
    const open = step('Open the PR');
    const events: SessionEvent[] = [
      ...ran(open.id, open.blocks[0]!.id, 127, 'r1'),
      ...ran(open.id, open.blocks[0]!.id, 0, 'r2', 'm'),
      {type: 'step-marked', stepId: open.id, status: 'done', reason: 'done by m: Opened #12', doneBy: 'm', at: at()},
      {type: 'step-marked', stepId: 'release/when-to-rollback', status: 'done', reason: 'assessed: none of the 2 triggers holds', doneBy: 'assessment', at: at()},
    ];
    const text = formatReportMarkdown(buildReport(meta, events, runbook));
    expect(text).toContain('Done — Open the PR (done by m: Opened #12)');
    expect(text).toContain("Ran natively (m) `gh pr create …  # native`: exit 0");
    expect(firstRollback(events, ['release/when-to-rollback'])).toBeNull();
  });
});
