// The drill runbook (tests/fixtures/drill.md) and the session several whole-program tests start from.
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {ROOT} from './paths.js';
import {Terminal} from './tui.js';

export const DRILL = join(ROOT, 'tests/fixtures/drill.md');

/** A drill session with one tick recorded (Greet's box), left unfinished by `q`; returns its id. */
export async function drillSessionWithATick(stateDir: string): Promise<string> {
  const t = new Terminal([DRILL, '--state-dir', stateDir]);
  await t.wait('Introduction');
  t.keys('n', 'Down', 'Space');
  await t.wait('\\[x\\] Saw the greeting');
  t.keys('q');
  await t.wait('runbook exited 0');
  return readdirSync(join(stateDir, 'sessions')).find(n => n.endsWith('.json'))!.replace(/\.json$/, '');
}
