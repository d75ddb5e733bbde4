// The guided session without a screen, as a separate killable process: the app's own controller, durable store and
// runner, walking a runbook the way an operator would (enter a step, answer a variable, run the block, tick the
// boxes, leave a note), resuming the session it finds. After each action returns, it prints every event that action
// recorded, with its position: what it printed is what the operator saw as recorded.
//   scripted-session STATE_DIR RUNBOOK_FILE SESSION_ID
import {existsSync, readFileSync} from 'node:fs';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {createSession, openSession, outlineOf} from '../../source/session/persistence.js';
import {snapshotPath} from '../../source/session/session-files.js';

const [stateDir, file, id] = process.argv.slice(2) as [string, string, string];
setTimeout(() => process.exit(3), 20_000).unref(); // never outlive a broken test

const runbook = parseRunbook(readFileSync(file, 'utf8'), {path: file});
const meta = {path: file, hash: runbook.hash, title: runbook.title};
const store = existsSync(snapshotPath(stateDir, id)) ? openSession(stateDir, id) : createSession({stateDir, id, runbook: meta, kind: 'rehearsal', ...outlineOf(runbook)});
const controller = new SessionController({
  runbook,
  store,
  shell: {env: {PATH: process.env.PATH!, HOME: stateDir}, cwd: stateDir},
  actor: {user: 'drill', host: 'test'},
});

let printed = 0;
const acknowledge = () => {
  const events = store.events();
  let lines = '';
  for (; printed < events.length; printed++) lines += `${JSON.stringify({at: printed, event: events[printed]})}\n`;
  process.stdout.write(lines); // synchronous on a pipe (Linux)
};
acknowledge();
process.stdout.write('ready\n');

// Carries on where the session was, as an operator would: a run the kill interrupted is run again.
const steps = controller.steps;
let round = controller.session.runs.filter(r => r.finished).length;
for (;;) {
  const step = steps[round % steps.length]!;
  controller.enterStep(step.id);
  acknowledge();
  const block = step.blocks.find(b => b.kind === 'command')!;
  await controller.run(block.id, {variables: {REGION: `eu-${round}`}, placeholders: {}, confirmed: false});
  acknowledge();
  for (const item of step.checklist) {
    controller.toggleCheck(step.id, item.id);
    acknowledge();
  }
  controller.note(step.id, `round ${round} done`);
  acknowledge();
  round++;
}
