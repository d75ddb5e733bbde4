import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {progressOf, stepStatus} from '../../source/session/session-state.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {saveFailureLine, SessionWriteError} from '../../source/session/session-files.js';
import {testTempDir} from '../helpers/temp.js';

const markdown = `# T

## One

\`\`\`bash
export KUBECONFIG=/path/to/kubeconfig-staging.yaml
echo "kube=$KUBECONFIG token=ghp_abcdefghijklmnopqrstuvwxyz0123456789"
\`\`\`

- [ ] checked it

## Two

\`\`\`bash
echo "region=$REGION kube=$KUBECONFIG"
\`\`\`

## Three

\`\`\`bash
false
\`\`\`

## Danger

\`\`\`bash
kubectl delete pod x -n prod
\`\`\`
`;

function setup() {
  const dir = testTempDir('ctl');
  const store = new MemorySessionStore('s1', join(dir, 'runs'));
  const controller = new SessionController({
    runbook: parseRunbook(markdown),
    store,
    shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir},
    actor: {user: 'ops', host: 'laptop'},
  });
  return {controller, store, dir};
}

const stepOf = (c: SessionController, title: string) => c.steps.find(s => s.title === title)!;

describe('the session controller', () => {
  it('asks for the placeholder, substitutes it, carries the export, and records the run', async () => {
    const {controller, store} = setup();
    const one = stepOf(controller, 'One');
    const block = one.blocks[0]!;
    expect(controller.questions(block.id)).toEqual([
      {kind: 'placeholder', text: '/path/to/kubeconfig-staging.yaml', variable: 'KUBECONFIG', suggestion: '/path/to/kubeconfig-staging.yaml'},
    ]);
    const result = await controller.run(block.id, {variables: {}, placeholders: {'/path/to/kubeconfig-staging.yaml': '/tmp/kc.yaml'}, confirmed: false});
    expect(result?.exitCode).toBe(0);
    expect(result?.tail.join('\n')).toContain('kube=/tmp/kc.yaml');
    // A token in the output never reaches the record or the output file.
    expect(result?.tail.join('\n')).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(readFileSync(result!.outputFile!, 'utf8')).not.toContain('ghp_abcdefghij');
    expect(controller.questions(block.id)).toEqual([]); // answered once per session
    const two = stepOf(controller, 'Two').blocks[0]!;
    expect(controller.questions(two.id)).toEqual([{kind: 'variable', name: 'REGION', suggestion: '', secret: false}]);
    const second = await controller.run(two.id, {variables: {REGION: 'eu'}, placeholders: {}, confirmed: false});
    expect(second?.tail).toEqual(['region=eu kube=/tmp/kc.yaml']);
    const types = store.events().map(e => e.type);
    expect(types).toEqual(expect.arrayContaining(['session-started', 'placeholder-set', 'run-started', 'run-finished', 'shell-changed', 'variable-set']));
    const started = store.events().find(e => e.type === 'run-started');
    expect(started).toMatchObject({by: {user: 'ops', host: 'laptop'}, command: expect.stringContaining('export KUBECONFIG=/tmp/kc.yaml')});
  });

  it('derives step states: done when run and ticked, failed on a failing run, skipped with a reason', async () => {
    const {controller} = setup();
    const one = stepOf(controller, 'One');
    await controller.run(one.blocks[0]!.id, {variables: {}, placeholders: {'/path/to/kubeconfig-staging.yaml': '/x'}, confirmed: false});
    expect(stepStatus(controller.session, one)).toBe('in-progress');
    controller.toggleCheck(one.id, one.checklist[0]!.id);
    expect(stepStatus(controller.session, one)).toBe('done');
    const three = stepOf(controller, 'Three');
    await controller.run(three.blocks[0]!.id, {variables: {}, placeholders: {}, confirmed: false});
    expect(stepStatus(controller.session, three)).toBe('failed');
    controller.mark(three.id, 'skipped', 'no cluster here');
    expect(stepStatus(controller.session, three)).toBe('skipped');
    expect(progressOf(controller.session, controller.steps)).toMatchObject({checked: 1, checks: 1, stepsDone: 1, skipped: 1, failed: 0});
  });

  it('never runs a dangerous block without the confirmation, and records the refusal', async () => {
    const {controller, store} = setup();
    const danger = stepOf(controller, 'Danger').blocks[0]!;
    expect(controller.questions(danger.id)).toEqual([{kind: 'confirm', expected: 'prod', target: 'namespace', dangers: ['deletes pod']}]);
    expect(await controller.run(danger.id, {variables: {}, placeholders: {}, confirmed: false})).toBeNull();
    expect(store.events().some(e => e.type === 'run-started')).toBe(false);
    expect(store.events().some(e => e.type === 'refused')).toBe(true);
  });

  it('cancels a running block, even right after it was asked to start', async () => {
    const dir = testTempDir('ctl');
    const controller = new SessionController({
      runbook: parseRunbook('# T\n\n## Sleep\n\n```bash\nsleep 30\n```\n'),
      store: new MemorySessionStore('s', join(dir, 'runs')),
      shell: {env: {PATH: process.env.PATH!}, cwd: dir},
    });
    const pending = controller.run(controller.steps[0]!.blocks[0]!.id, {variables: {}, placeholders: {}, confirmed: false});
    expect(controller.cancel()).toBe(true);
    const result = await pending;
    expect(result?.cancelled).toBe(true);
    expect(result!.durationMs).toBeLessThan(10_000);
  });

  it('keeps secret variables out of the record', async () => {
    const {controller, store} = setup();
    const two = stepOf(controller, 'Two').blocks[0]!;
    await controller.run(two.id, {variables: {REGION: 'eu', API_TOKEN: 'hunter2-secret'}, placeholders: {}, confirmed: false});
    expect(JSON.stringify(store.events())).not.toContain('hunter2-secret');
    expect(store.events().find(e => e.type === 'variable-set' && e.name === 'API_TOKEN')).toMatchObject({value: null, secret: true});
  });
});

describe('a runbook edited between sessions', () => {
  it('reports steps added, removed and edited from the outline the session kept', async () => {
    const {outlineChanges, describeChanges} = await import('../../source/session/runbook-changes.js');
    const {outlineOf} = await import('../../source/session/persistence.js');
    const before = outlineOf(parseRunbook(markdown)).outline;
    const edited = markdown.replace('## Three', '## Three and a half').replace('- [ ] checked it', '- [ ] checked it twice') + '\n## Four\n\nnew\n';
    const changes = outlineChanges(before, outlineOf(parseRunbook(edited)).outline);
    expect(changes).toEqual({added: ['t/three-and-a-half', 't/four'], removed: ['t/three'], edited: ['t/one']});
    expect(describeChanges(changes)).toMatch(/2 steps added, 1 removed, 1 edited/);
  });
});

describe('a save that fails', () => {
  class FullDiskStore extends MemorySessionStore {
    full = false;
    override append(event: Parameters<MemorySessionStore['append']>[0]) {
      if (this.full) throw new SessionWriteError('/srv/state/sessions/s1.journal', Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'}));
      super.append(event);
    }
  }

  it('tells the operator what to do, shows nothing it could not record, and never starts a run it cannot record', async () => {
    const dir = testTempDir('ctl');
    const store = new FullDiskStore('s1', join(dir, 'runs'));
    const controller = new SessionController({runbook: parseRunbook(markdown), store, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}});
    const one = stepOf(controller, 'One');
    controller.toggleCheck(one.id, one.checklist[0]!.id);
    expect(controller.session.checks[one.checklist[0]!.id]).toBe(true);
    store.full = true;
    controller.toggleCheck(one.id, one.checklist[0]!.id);
    expect(controller.saveError).toBe('not saved: the disk holding /srv/state is full — free some space, then do it again (everything recorded before is kept)');
    expect(controller.session.checks[one.checklist[0]!.id]).toBe(true); // still as recorded
    const three = stepOf(controller, 'Three').blocks[0]!;
    expect(await controller.run(three.id, {variables: {}, placeholders: {}, confirmed: false})).toBeNull();
    expect(controller.session.runs).toEqual([]);
    store.full = false;
    controller.toggleCheck(one.id, one.checklist[0]!.id);
    expect(controller.saveError).toBeNull();
    expect(controller.session.checks[one.checklist[0]!.id]).toBe(false);
  });

  it('names a state directory it may not write to', () => {
    const error = new SessionWriteError('/ro/state/sessions/x.journal', Object.assign(new Error('EROFS: read-only file system, write'), {code: 'EROFS'}));
    expect(saveFailureLine(error)).toBe('not saved: /ro/state is not writable (EROFS) — fix that, then do it again (everything recorded before is kept)');
    expect(saveFailureLine(new Error('odd\nfailure'))).toBe('not saved: odd failure');
  });
});
