// `runbook list`: the runbooks of ./runbooks (and, outside a project, the loose *.md here and the packaged guide),
// plus those of recent sessions, each with its size and its latest session. Titles and counts come from the model
// cache: a second listing parses nothing.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeEach, describe, expect, it, vi} from 'vitest';
import {libraryFor, listCommand} from '../../source/commands/list.js';
import type {Place} from '../../source/commands/state-dir.js';
import {parseRunbook} from '../../source/runbook/parse.js';
import {readRunbookFile} from '../../source/runbook/index.js';
import {walkSteps} from '../../source/runbook/walk.js';
import {createSession, outlineOf} from '../../source/session/persistence.js';
import {sessionState} from '../../source/session/runbook-library.js';
import type {SessionSummary} from '../../source/session/summary.js';
import {capture} from '../helpers/capture.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';

vi.mock('../../source/runbook/parse.js', async importOriginal => {
  const actual = await importOriginal<typeof import('../../source/runbook/parse.js')>();
  return {...actual, parseRunbook: vi.fn(actual.parseRunbook)};
});
const parsed = vi.mocked(parseRunbook);
beforeEach(() => {
  parsed.mockClear();
});

const RELEASE = `# Payments release

## Prepare

- [ ] Told the team
- [ ] Froze merges

## Ship

\`\`\`bash
kubectl rollout status deployment/payments-api -n payments
\`\`\`
`;

const ROLLBACK = `# Payments rollback

## Undo

\`\`\`bash
kubectl rollout undo deployment/payments-api -n payments
\`\`\`
`;

const by = {user: 'op', host: 'laptop'};

/** A session of `path` with one tick, as the app records it; finished or left open. */
function session(stateDir: string, path: string, o: {kind?: 'deploy' | 'incident'; tick?: boolean; finished?: boolean; at: string}) {
  const at = new Date(o.at).toISOString();
  const runbook = readRunbookFile(path);
  const store = createSession({stateDir, runbook: {path, hash: runbook.hash, title: runbook.title}, kind: o.kind ?? 'deploy', ...outlineOf(runbook), now: () => new Date(o.at)});
  const step = walkSteps(runbook)[0]!;
  store.append({type: 'step-entered', at, by, stepId: step.id});
  if (o.tick) store.append({type: 'check-toggled', at, by, stepId: step.id, itemId: step.checklist[0]!.id, checked: true});
  if (o.finished) store.markFinished(true, new Date(o.at));
  store.close();
  return store.id;
}

function projectDir() {
  const cwd = testTempDir('list');
  mkdirSync(join(cwd, 'runbooks'));
  writeFileSync(join(cwd, 'runbooks', 'payments-release.md'), RELEASE);
  writeFileSync(join(cwd, 'runbooks', 'payments-rollback.md'), ROLLBACK);
  const place: Place = {cwd, home: '/nonexistent-home', project: true};
  return {cwd, place, stateDir: join(cwd, 'state')};
}

const list = (o: {stateDir: string; place: Place; json: boolean; hint?: boolean}) => capture(() => listCommand({...o, packaged: SHIPPED_GUIDE}));

describe('runbook list', () => {
  it('a table of ./runbooks with title, steps, checks and the latest session and its state', async () => {
    const {cwd, place, stateDir} = projectDir();
    const release = join(cwd, 'runbooks', 'payments-release.md');
    session(stateDir, release, {tick: true, finished: true, at: '2026-01-05T10:00:00Z'});
    const latest = session(stateDir, release, {tick: true, at: '2026-01-06T10:00:00Z'});
    session(stateDir, join(cwd, 'runbooks', 'payments-rollback.md'), {kind: 'incident', at: '2026-01-06T11:00:00Z'});

    const {code, out, err} = await list({stateDir, place, json: false});
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FILE +TITLE +STEPS +CHECKS +LAST SESSION +STATE$/);
    expect(lines[1]).toMatch(new RegExp(`^runbooks/payments-release\\.md +Payments release +2 +2 +${latest} 2026-01-06 \\d\\d:\\d\\d +in progress 0/2 steps$`));
    expect(lines[2]).toMatch(/^runbooks\/payments-rollback\.md +Payments rollback +1 +0 +\S+ .* +incident open · 0\/1 steps$/);
    // In a project, neither the packaged guide nor the loose markdown of the directory.
    expect(lines).toHaveLength(3);

    const rows = JSON.parse((await list({stateDir, place, json: true})).out);
    expect(rows[0]).toEqual({
      file: 'runbooks/payments-release.md',
      path: release,
      source: 'folder',
      title: 'Payments release',
      steps: 2,
      checks: 2,
      problem: null,
      lastSession: {id: latest, kind: 'deploy', updatedAt: '2026-01-06T10:00:00.000Z', finished: false, state: 'in progress 0/2 steps'},
    });
  });

  it('parses a runbook once: the next listing reads the model cache', async () => {
    const {place, stateDir} = projectDir();
    await list({stateDir, place, json: true});
    expect(parsed).toHaveBeenCalledTimes(2);
    parsed.mockClear();
    const again = JSON.parse((await list({stateDir, place, json: true})).out);
    expect(again.map((r: {title: string}) => r.title)).toEqual(['Payments release', 'Payments rollback']);
    expect(parsed).not.toHaveBeenCalled();
    // A changed runbook is read again, and only that one.
    writeFileSync(join(place.cwd, 'runbooks', 'payments-rollback.md'), ROLLBACK.replace('Payments rollback', 'Payments back-out'));
    const changed = JSON.parse((await list({stateDir, place, json: true})).out);
    expect(changed[1].title).toBe('Payments back-out');
    expect(parsed).toHaveBeenCalledTimes(1);
  });

  it('lists the runbooks of recent sessions too, saying when the file is gone', async () => {
    const {place, stateDir} = projectDir();
    const elsewhere = testTempDir('list-elsewhere');
    const gone = join(elsewhere, 'old-release.md');
    writeFileSync(gone, RELEASE.replace('Payments release', 'Old release'));
    session(stateDir, gone, {tick: true, at: '2026-01-04T10:00:00Z'});
    rmSync(gone);
    const rows = JSON.parse((await list({stateDir, place, json: true})).out);
    expect(rows[2]).toMatchObject({path: gone, source: 'session', title: 'Old release', steps: 2, checks: 2, problem: 'no longer there', lastSession: {state: 'in progress 0/2 steps'}});
    const {out} = await list({stateDir, place, json: false});
    expect(out).toMatch(/old-release\.md +Old release +2 +2 +\S+ .* no longer there · in progress 0\/2 steps/);
  });

  it('outside a project: the *.md here and the packaged guide, a markdown file with no step left out, and a hint', async () => {
    const cwd = testTempDir('list-here');
    writeFileSync(join(cwd, 'db-failover.md'), RELEASE.replace('Payments release', 'DB failover'));
    writeFileSync(join(cwd, 'CHANGELOG.md'), '# Changelog\n\n## 1.0\n\n## 0.9\n');
    const stateDir = join(cwd, 'xdg-state', 'runbook');
    const place: Place = {cwd, home: '/nonexistent-home', project: false};
    const {entries} = await libraryFor({stateDir, place, packaged: SHIPPED_GUIDE});
    expect(entries.map(e => [e.file, e.source, e.title])).toEqual([
      ['db-failover.md', 'here', 'DB failover'],
      [SHIPPED_GUIDE, 'packaged', 'Production Deployment Guide'],
    ]);
    const {out} = await list({stateDir, place, json: false, hint: true});
    expect(out).toMatch(/^db-failover\.md +DB failover +2 +2 +— +never opened$/m);
    expect(out.trimEnd().split('\n').at(-1)).toBe(`Open one with 'runbook db-failover.md' (sessions are kept in ${stateDir}).`);
  });

  it('shows what a runbook says inert: escape sequences in titles and file names never reach the terminal', async () => {
    const {cwd, place, stateDir} = projectDir();
    writeFileSync(join(cwd, 'runbooks', 'evil\x1b[2J.md'), '# Pwned \x1b]52;c;aGk=\x07 title\n\n## Step\n\n- [ ] ok\n');
    const {out} = await list({stateDir, place, json: false});
    expect(out).not.toMatch(/[\x1b\x07]/);
    expect(out).toContain('runbooks/evil␛[2J.md');
    expect(out).toContain('Pwned ␛]52;c;aGk=␇ title');
    const json = (await list({stateDir, place, json: true})).out;
    expect(json).not.toMatch(/[\x1b\x07]/);
    expect(JSON.parse(json).map((r: {title: string}) => r.title)).toContain('Pwned \x1b]52;c;aGk=\x07 title');
  });
});

describe('sessionState', () => {
  const base: SessionSummary = {id: 's', runbook: {path: '/r.md', hash: 'h', title: 'R'}, kind: 'deploy', createdAt: '', updatedAt: '', finished: false, checked: 3, total: 9, steps: 12, stepsDone: 2, failed: 1, skipped: 1, lastStepId: null, eventCount: 5};
  it('says finished, in progress x/y, incident open, rehearsal, in use', () => {
    expect(sessionState({...base, finished: true})).toBe('finished');
    expect(sessionState(base)).toBe('in progress 3/12 steps');
    expect(sessionState({...base, kind: 'incident'})).toBe('incident open · 3/12 steps');
    expect(sessionState({...base, kind: 'rehearsal'})).toBe('rehearsal in progress 3/12 steps');
    expect(sessionState({...base, steps: undefined})).toBe('in progress 3 checked');
    expect(sessionState({...base, inUse: {pid: 4242, host: 'h', user: 'op', since: ''}}, 1)).toBe('in use by pid 4242');
    expect(sessionState({...base, inUse: {pid: 1, host: 'h', user: 'op', since: ''}}, 1)).toBe('open now');
  });
});
