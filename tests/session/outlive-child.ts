// A runner to kill mid-block: the app's own controller, durable store and runner in a separate process, running the
// first command block of a runbook. It prints `running` once the block's output shows `deploy started`, then waits
// for the block (which runs for minutes) until the test kills it.
//   outlive-child STATE_DIR RUNBOOK_FILE SESSION_ID
import {readFileSync} from 'node:fs';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {createSession, outlineOf} from '../../source/session/persistence.js';

const [stateDir, file, id] = process.argv.slice(2) as [string, string, string];
setTimeout(() => process.exit(3), 60_000).unref(); // never outlive a broken test

const runbook = parseRunbook(readFileSync(file, 'utf8'), {path: file});
const store = createSession({stateDir, id, runbook: {path: file, hash: runbook.hash, title: runbook.title}, kind: 'rehearsal', ...outlineOf(runbook)});
const controller = new SessionController({
  runbook,
  store,
  // A token in the environment, as an operator's shell has one: it ends up in every environment dump.
  shell: {env: {PATH: process.env.PATH!, HOME: stateDir, GITHUB_TOKEN: 'ghp_outliveChildToken0123456789abcdef'}, cwd: stateDir},
  actor: {user: 'drill', host: 'test'},
});
const block = controller.steps.flatMap(step => step.blocks).find(b => b.kind === 'command')!;
let said = false;
controller.subscribe(() => {
  if (said || !controller.activeRun?.progress?.tail.some(line => line.includes('deploy started'))) return;
  said = true;
  process.stdout.write('running\n');
});
await controller.run(block.id, {variables: {}, placeholders: {}, confirmed: false});
process.stdout.write('finished\n');
