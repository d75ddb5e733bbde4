// A run that cannot start (its runner throws before the block is spawned: no writable place for the shell's state,
// say) is a failed run with the reason, recorded, never an exception that takes the screen down.
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {stepStatus} from '../../source/session/session-state.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {testTempDir} from '../helpers/temp.js';

vi.mock('../../source/exec/run-block.js', () => ({
  startRun: () => {
    throw Object.assign(new Error("ENOTDIR: not a directory, mkdtemp '/tmp/not-a-dir/runbook-shell-XXXXXX'"), {code: 'ENOTDIR'});
  },
}));

describe('a run that cannot start', () => {
  it('ends as a failed run saying why, and the session goes on', async () => {
    const dir = testTempDir('ctl-start');
    const store = new MemorySessionStore('s1', join(dir, 'runs'));
    const controller = new SessionController({
      runbook: parseRunbook('# T\n\n## One\n\n```bash\necho hi\n```\n\n- [ ] done\n'),
      store,
      shell: {env: {PATH: process.env.PATH!}, cwd: dir},
      actor: {user: 'ops', host: 'laptop'},
    });
    const step = controller.steps[0]!;
    const result = await controller.run(step.blocks[0]!.id, {variables: {}, placeholders: {}, confirmed: false});
    expect(result?.error).toBe("the block could not start: ENOTDIR: not a directory, mkdtemp '/tmp/not-a-dir/runbook-shell-XXXXXX'");
    expect(controller.activeRun).toBeNull();
    const [run] = controller.session.runs;
    expect(run?.finished).toMatchObject({exitCode: null, error: expect.stringContaining('could not start')});
    expect(stepStatus(controller.session, step)).toBe('failed');
    controller.toggleCheck(step.id, step.checklist[0]!.id);
    expect(store.events().map(e => e.type)).toEqual(['session-started', 'run-started', 'run-finished', 'check-toggled']);
  });
});
