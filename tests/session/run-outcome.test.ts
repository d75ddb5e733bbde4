import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {walkSteps} from '../../source/runbook/walk.js';
import {commandOutcomes, foundNoTrouble, runWentWell, runWentWrong, stopNote} from '../../source/session/run-outcome.js';
import {applyEvent, emptySessionState, stepStatus} from '../../source/session/session-state.js';
import type {SessionEvent} from '../../source/session/events.js';

const nothing = {exitCode: 1, cancelled: false, tail: []};

describe('how a finished run went', () => {
  it('counts a search for errors that found none as good news', () => {
    for (const command of [
      'kubectl logs -l app=overlord -n overlord-production --tail=100 | grep -i error',
      "# Filter for errors\nkubectl logs -l app=overlord | grep -E '(ERROR|CRITICAL|FATAL)'",
      'journalctl -u api | grep -q panic',
      'dmesg | grep -i "oom" ',
    ]) {
      expect(foundNoTrouble(command, nothing), command).toBe(true);
      expect(runWentWell(command, nothing), command).toBe(true);
    }
  });

  it('still fails a grep that asserts something is there, an inverted one, or one that is not last', () => {
    for (const command of [
      'kubectl get pods | grep Running',
      "curl -s localhost/health | grep '\"status\":\"ok\"'",
      'kubectl logs app | grep -v error',
      'kubectl logs app | grep -iv error',
      'kubectl logs app | grep -i error\n./scripts/smoke-tests.sh',
      'grep -i error /var/log/app.log', // not a pipeline: a missing file also exits non-zero with output, but say no
    ]) expect(runWentWrong(command, nothing), command).toBe(true);
  });

  it('fails the search when it printed anything, exited 2, or was cancelled', () => {
    const command = 'kubectl logs app | grep -i error';
    expect(runWentWrong(command, {exitCode: 1, cancelled: false, tail: ['error: You must be logged in to the server']})).toBe(true);
    expect(runWentWrong(command, {exitCode: 2, cancelled: false, tail: []})).toBe(true);
    expect(runWentWell(command, {exitCode: 1, cancelled: true, tail: []})).toBe(false);
    expect(runWentWrong(command, {exitCode: 1, cancelled: true, tail: []})).toBe(false);
  });

  it('lets the guide\'s "Check Logs for Errors" step be done when the logs are clean', () => {
    const runbook = parseRunbook('# G\n\n## Check Logs for Errors\n\n```bash\n# Check last 100 lines for errors\nkubectl logs -l app=overlord -n overlord-production --tail=100 | grep -i error\n\n# Should return no critical errors\n```\n');
    const step = walkSteps(runbook)[0]!;
    const block = step.blocks[0]!;
    const at = '2026-11-27T03:00:00Z';
    const events: SessionEvent[] = [
      {type: 'run-started', runId: 'r1', stepId: step.id, blockId: block.id, command: block.code, outputFile: null, interactive: false, at},
      {type: 'run-finished', runId: 'r1', exitCode: 1, signal: null, cancelled: false, durationMs: 800, lines: 0, tail: [], at},
    ];
    expect(stepStatus(events.reduce(applyEvent, emptySessionState()), step)).toBe('done');
  });
});

describe('where a block stopped', () => {
  const block = ['# Check last 100 lines for errors', 'kubectl logs -l app=overlord --tail=100 | grep -i error', '', '# Check application startup', 'kubectl logs -l app=overlord --tail=50'].join('\n');

  it('names the command and its line, says a search (or what fed it) is what stopped it, and what did not run', () => {
    const run = {exitCode: 1, cancelled: false, tail: [], failedLine: 2};
    expect(stopNote(block, run)).toBe('stopped at command 1 of 2 (line 2): its search found nothing, or the command feeding it failed; the command after it did not run — kubectl logs -l app=overlord --tail=100 | grep -i error');
    expect(runWentWrong(block, run)).toBe(true); // the startup check never ran: not done
  });

  it('names the line of any other failure, and says nothing for one-command blocks or without a line', () => {
    expect(stopNote('cd /srv\nmake deploy\n./verify.sh\n./notify.sh', {exitCode: 2, cancelled: false, tail: ['make: *** Error 2'], failedLine: 2})).toBe('stopped at command 2 of 4 (line 2): the 2 commands after it did not run — make deploy');
    expect(stopNote('make deploy', {exitCode: 2, cancelled: false, tail: [], failedLine: 1})).toBeNull();
    expect(stopNote(block, {exitCode: 1, cancelled: false, tail: []})).toBeNull();
  });

  it('counts a clean search that ended the block as good news only when it was the last command', () => {
    const lastIsSearch = 'kubectl get pods\nkubectl logs app | grep -i error';
    expect(foundNoTrouble(lastIsSearch, {exitCode: 1, cancelled: false, tail: [], failedLine: 2})).toBe(true);
    expect(foundNoTrouble(lastIsSearch, {exitCode: 1, cancelled: false, tail: [], failedLine: 1})).toBe(false);
  });
});

describe('what did not run counts commands, not lines', () => {
  const block = [
    'kubectl get pods -n prod',
    'if kubectl get deploy api -n prod; then',
    '  kubectl rollout status deploy/api -n prod \\',
    '    --timeout=60s',
    'fi',
    'for i in 1 2 3; do',
    '  curl -sf https://api/health && break',
    '  sleep 5',
    'done',
    './scripts/smoke-tests.sh',
  ].join('\n');

  it('says the 2 commands after the one that stopped it did not run, a loop of four lines being one', () => {
    const run = {exitCode: 1, cancelled: false, tail: ['error: timed out'], failedLine: 3};
    expect(stopNote(block, run)).toBe('stopped at command 2 of 4 (line 3): the 2 commands after it did not run — if kubectl get deploy api -n prod; then');
    expect(commandOutcomes(block, run).map(o => o.outcome)).toEqual(['ok', 'failed', 'not-run', 'not-run']);
  });

  it('takes the notes of searches that found nothing and followers the operator stopped', () => {
    const script = 'kubectl get pods\nkubectl logs -l app=x | grep -i error\nkubectl logs -f deploy/x\n./smoke.sh';
    const ok = {exitCode: 0, cancelled: false, tail: [], commandNotes: [{index: 1, note: 'no-match' as const}, {index: 2, note: 'stopped' as const}]};
    expect(commandOutcomes(script, ok).map(o => o.outcome)).toEqual(['ok', 'no-match', 'stopped', 'ok']);
    expect(runWentWell(script, ok)).toBe(true);
    const failed = {...ok, exitCode: 1, failedLine: 4};
    expect(commandOutcomes(script, failed).map(o => o.outcome)).toEqual(['ok', 'no-match', 'stopped', 'failed']);
  });

  it('says interrupted for a Ctrl-C or a cancel, and what it cannot tell', () => {
    const script = 'make build\nmake deploy\n./verify.sh';
    expect(commandOutcomes(script, {exitCode: 130, cancelled: true, tail: [], failedLine: 2}).map(o => o.outcome)).toEqual(['ok', 'interrupted', 'not-run']);
    expect(commandOutcomes(script, {exitCode: null, signal: 'SIGTERM', cancelled: true, tail: []}).map(o => o.outcome)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    // `exit 3` or a syntax error: bash did not say where.
    expect(commandOutcomes(script, {exitCode: 3, cancelled: false, tail: []}).map(o => o.outcome)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(commandOutcomes('make deploy', {exitCode: 3, cancelled: false, tail: []}).map(o => o.outcome)).toEqual(['failed']);
    // Never started (no bash, no state directory).
    expect(commandOutcomes(script, {exitCode: null, signal: null, cancelled: false, tail: []}).map(o => o.outcome)).toEqual(['not-run', 'not-run', 'not-run']);
  });

  it('reads a record made before searches were noted as it did: a clean search last is no match, and good', () => {
    const legacy = {exitCode: 1, cancelled: false, tail: [], failedLine: 2};
    const script = 'kubectl get pods\nkubectl logs app | grep -i error';
    expect(commandOutcomes(script, legacy).map(o => o.outcome)).toEqual(['ok', 'no-match']);
    expect(runWentWell(script, legacy)).toBe(true);
  });
});
