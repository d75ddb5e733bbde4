// A block's commands each have an outcome: the controller plans them from the script and the step's prose, the
// runner notes a search that found nothing, and the record, the step and the report keep it.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {eventSchema} from '../../source/session/schema.js';
import {buildReport, type ReportEntry, type SessionMeta} from '../../source/session/report.js';
import {commandOutcomes} from '../../source/session/run-outcome.js';
import {stepStatus} from '../../source/session/session-state.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {testTempDir} from '../helpers/temp.js';

const markdown = `# T

## Verify

The output must contain READY.

\`\`\`bash
echo starting
printf 'all good\\n' | grep -i error
echo "state: not yet" | grep READY
echo after
\`\`\`

## Logs

\`\`\`bash
printf 'one\\ntwo\\n' | grep -i error
echo smoke tests passed
\`\`\`
`;

function setup() {
  const dir = testTempDir('outcomes');
  const store = new MemorySessionStore('s1', join(dir, 'runs'));
  const controller = new SessionController({runbook: parseRunbook(markdown), store, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}, actor: {user: 'ops', host: 'laptop'}});
  return {controller, store};
}

const meta = {version: 1, id: 's1', kind: 'deploy', runbook: {path: 't.md', hash: 'h', title: 'T'}, createdAt: '', updatedAt: '', finished: false, finishedAt: null, totals: null, outline: null} as unknown as SessionMeta;
const stepOf = (c: SessionController, title: string) => c.steps.find(s => s.title === title)!;
const run = (c: SessionController, blockId: string) => c.run(blockId, {variables: {}, placeholders: {}, confirmed: false});

describe('a block whose search finds nothing', () => {
  it('goes on, is done, and the record says which command found nothing', async () => {
    const {controller, store} = setup();
    const logs = stepOf(controller, 'Logs');
    const result = await run(controller, logs.blocks[0]!.id);
    expect(result?.exitCode).toBe(0);
    expect(result?.tail).toEqual(['smoke tests passed']);
    const finished = store.events().find(e => e.type === 'run-finished')!;
    expect(finished).toMatchObject({exitCode: 0, commandNotes: [{index: 0, note: 'no-match'}]});
    expect(eventSchema.parse(JSON.parse(JSON.stringify(finished)))).toMatchObject({commandNotes: [{index: 0, note: 'no-match'}]});
    expect(stepStatus(controller.session, logs)).toBe('done');
    const entry = buildReport(meta, store.events(), controller.runbook).entries.find((e): e is Extract<ReportEntry, {kind: 'run'}> => e.kind === 'run')!;
    expect(entry.commandNotes).toEqual([{index: 0, note: 'no-match'}]);
    expect(commandOutcomes(entry.command, entry).map(o => o.outcome)).toEqual(['no-match', 'ok']);
  });

  it('still fails when the step says the pattern must be there', async () => {
    const {controller, store} = setup();
    const verify = stepOf(controller, 'Verify');
    const result = await run(controller, verify.blocks[0]!.id);
    expect(result?.exitCode).toBe(1);
    expect(result?.tail).toEqual(['starting']);
    expect(result?.commandNotes).toEqual([{index: 1, note: 'no-match'}]);
    expect(stepStatus(controller.session, verify)).toBe('failed');
    const started = store.events().find(e => e.type === 'run-started')!;
    const finished = store.events().find(e => e.type === 'run-finished')!;
    if (started.type !== 'run-started' || finished.type !== 'run-finished') throw new Error('no run');
    expect(commandOutcomes(started.command, finished).map(o => o.outcome)).toEqual(['ok', 'no-match', 'failed', 'not-run']);
  });
});
