// A separate process for the kill -9 and takeover tests: it must be a real process, killable at any instant.
//   append STATE ID COMPACT_EVERY   append events forever, printing each sequence number after append returned
//   take STATE ID START_AT          at START_AT (epoch ms), try to open the session; print `won` or `in-use PID`
//                                  and whether it was waiting at the line (on-time) or arrived late,
//                                  then hold it until stdin closes
//   hold STATE ID                   open, print `held`, exit without close (the exit hook must release the lock)
import {createSession, openSession} from '../../source/session/durable-store.js';
import type {SessionEvent} from '../../source/session/events.js';
import {SessionInUseError} from '../../source/session/locks.js';

const [mode, stateDir, id, arg] = process.argv.slice(2) as [string, string, string, string];
const out = (line: string) => process.stdout.write(`${line}\n`); // synchronous on a pipe (Linux)
setTimeout(() => process.exit(3), 20_000).unref(); // never outlive a broken test

function event(seq: number): SessionEvent {
  const at = new Date().toISOString();
  switch (seq % 3) {
    case 0:
      return {type: 'note', stepId: 's', text: `seq ${seq}`, at};
    case 1:
      return {type: 'check-toggled', stepId: 's', itemId: `seq-${seq}`, checked: true, at};
    default:
      return {type: 'run-finished', runId: `seq-${seq}`, exitCode: 0, signal: null, cancelled: false, durationMs: 5, lines: 20, tail: Array.from({length: 20}, (_, i) => `output line ${i} of run ${seq}`), at};
  }
}

if (mode === 'append') {
  let store;
  try {
    store = openSession(stateDir, id);
  } catch {
    store = createSession({stateDir, id, runbook: {path: 'r.md', hash: 'h', title: 'R'}, kind: 'rehearsal'});
  }
  const compactEvery = Number(arg);
  let seq = store.events().length;
  out(`ready ${seq}`);
  for (let i = 1; i < 1_000_000; i++, seq++) {
    store.append(event(seq));
    out(String(seq));
    if (compactEvery > 0 && i % compactEvery === 0) store.compact();
  }
} else if (mode === 'take') {
  const onTime = Date.now() < Number(arg) ? 'on-time' : 'late';
  while (Date.now() < Number(arg)) {
    // spin: both racers leave the line together
  }
  try {
    openSession(stateDir, id);
    out(`won ${onTime}`);
  } catch (error) {
    if (!(error instanceof SessionInUseError)) throw error;
    out(`in-use ${error.pid} ${onTime}`);
  }
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else if (mode === 'hold') {
  openSession(stateDir, id);
  out('held');
  process.exit(0);
}
