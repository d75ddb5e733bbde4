// `runbook rehearse FILE --headless`: a runbook tested without a terminal (stdin and stdout are pipes here), every
// command block in order against the sandbox, through the built CLI. Its exit code, its lines and --json document,
// --set, interactive blocks on a pseudo-terminal (followers stopped after a few seconds and counted as passed,
// prompts answered with Enter, editors making the change their comment describes), a failed block's job done
// natively after it (u), bad input, and the session it records: a rehearsal like any other in `status` and `report`.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {answersFor} from '../../source/commands/headless-answers.js';
import {describedChange, editsOf} from '../../source/commands/headless-editor.js';
import {followsOutput} from '../../source/commands/headless-followers.js';
import {answeredWords, PromptWatch} from '../../source/commands/headless-prompts.js';
import {planCommands} from '../../source/runbook/command-plan.js';
import type {Question} from '../../source/session/questions.js';
import {CLI} from '../helpers/paths.js';
import {itNeeds} from '../helpers/requirements.js';
import {testTempDir} from '../helpers/temp.js';

const fence = (code: string, info = 'bash') => `\`\`\`${info}\n${code}\n\`\`\``;

const PASSING = `# Passing drill

## Prepare

${fence('echo preparing\nexport GREETING=hello\nmkdir -p build && rm -rf build')}

## Greet

${fence('echo "$GREETING from $(pwd)"')}

## Look around

${fence('echo all good | grep -i error\necho no errors')}

## Edit

${fence('nano notes.txt')}

## Pick

${fence('echo "picked $CHOICE"')}
`;

const FAILING = `# Failing drill

## First

${fence('echo first')}

## Broken

${fence('echo before\nfalse-command-that-does-not-exist --flag\necho never')}

## After

${fence('echo still rehearsed')}
`;

const ANSWERS = `# Answers drill

## Configure

${fence('export KUBECONFIG_FILE=/path/to/kubeconfig-staging.yaml\necho "using $KUBECONFIG_FILE"')}

## Deploy

${fence('echo "deploying $RELEASE_TAG"')}
`;

const FOLLOWERS = `# Followers drill

## Follow

${fence('echo before\ntail -f /dev/null\necho after the follower')}

## Terminal

${fence('echo "on a terminal of its own"', 'sh {interactive=true}')}
`;

const EDITS = `# Edits drill

## Bump

${fence(`printf '[project]\\nname = "overlord"\\n  version = "1.1.0"\\n' > pyproject.toml
printf 'LOG_LEVEL=info\\n' > .env
nano pyproject.toml  # Update version = "1.2.0"
vim .env  # Set LOG_LEVEL=debug
nano notes.txt
cat pyproject.toml .env`)}

## After

${fence('echo "shims: $(env | grep -c /editor- || true)"')}
`;

const PROMPTS = `# Prompts drill

## Ask

${fence('read -p "continue? [Y/n] " a; echo "got:[$a]"', 'sh {interactive=true}')}

## Insist

${fence('name=""\nwhile [ -z "$name" ]; do read -p "name? " name || true; done', 'sh {interactive=true}')}

## After

${fence('echo still rehearsed')}
`;

const UNDO = `# Undo drill

## Deploy

${fence('kubectl set image deployment/overlord overlord=ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0 -n overlord-production\nkubectl rollout status deployment/overlord -n overlord-production --timeout=60s')}

## Roll back

${fence('kubectl rollout undo deployment/overlord --to-revision=99 -n overlord-production')}
`;

const KUBE_FOLLOWER = `# Watch pods

## Watch

${fence('kubectl get pods -n overlord-production -w\nkubectl get pods -n overlord-production')}
`;

interface Workspace {
  dir: string;
  state: string;
  file: (name: string, text: string) => string;
}

function workspace(): Workspace {
  const dir = testTempDir('headless');
  return {
    dir,
    state: join(dir, 'state'),
    file: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** The built CLI with stdin and stdout pipes: nothing here is a terminal. */
const runbook = (w: Workspace, ...args: string[]) => execa(process.execPath, [CLI, ...args, '--state-dir', w.state], {cwd: w.dir, reject: false, env: {NO_COLOR: '1'}, stdin: 'pipe'});

/** The one session's events: those folded into its file (a finished session's are), then its journal's. */
function journal(w: Workspace): Array<Record<string, unknown>> {
  const sessions = join(w.state, 'sessions');
  const files = readdirSync(sessions);
  const snapshot = JSON.parse(readFileSync(join(sessions, files.find(f => f.endsWith('.json'))!), 'utf8'));
  const journalFile = files.find(f => f.endsWith('.journal'));
  const lines = journalFile ? readFileSync(join(sessions, journalFile), 'utf8').split('\n').filter(Boolean) : [];
  return [...snapshot.events, ...lines.map(line => JSON.parse(line).e)];
}

describe('runbook rehearse --headless', () => {
  it('runs every block in order without a terminal: a line per block, a summary, exit 0, a rehearsal session in status and report', async () => {
    const w = workspace();
    const file = w.file('passing.md', PASSING);
    const r = await runbook(w, 'rehearse', file, '--headless');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Rehearsing Passing drill headless against the sandbox \(default\), session \S+$/);
    expect(lines[1]).toMatch(/^✓ Prepare — echo preparing — dangerous: confirmed for the sandbox \(\d+\.\d s\)$/);
    expect(lines[2]).toMatch(/^✓ Greet — echo "\$GREETING from \$\(pwd\)" \(\d+\.\d s\)$/);
    // A search for trouble that finds none is the good answer, and the block goes on.
    expect(lines[3]).toMatch(/^✓ Look around — echo all good \| grep -i error/);
    // An editor runs on a pseudo-terminal, replaced by one that makes the change its comment describes: none here.
    expect(lines[4]).toMatch(/^✓ Edit — nano notes\.txt — editor: notes\.txt: no change described, file left as is \(\d+\.\d s\)$/);
    expect(lines[5]).toBe('⤼ Pick — echo "picked $CHOICE" — skipped: no value for CHOICE (give --set CHOICE=…)');
    const id = /session (\S+)$/.exec(lines[0]!)![1]!;
    expect(lines[6]).toBe(`5 blocks: 4 passed, 0 failed, 1 skipped — session ${id} (rehearsal, default); 'runbook report ${id}' has the timeline`);

    // The blocks ran in the rehearsal's workspace, never where runbook was started, with what the first exported.
    const greet = journal(w).find(e => e.type === 'run-finished' && (e.tail as string[]).some(l => l.startsWith('hello from')));
    expect((greet!.tail as string[])[0]).toBe(`hello from ${join(w.state, 'sandbox', 'workspace')}`);

    const status = JSON.parse((await runbook(w, 'status', '--json')).stdout);
    expect(status).toEqual([expect.objectContaining({id, kind: 'rehearsal', runbook: 'Passing drill', stepsDone: 4, failed: 0, finished: false})]);
    const report = await runbook(w, 'report', id);
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toContain('| Kind | rehearsal |');
    expect(report.stdout).toContain('Not run headless: `echo "picked $CHOICE"`');
    expect(report.stdout).toContain('Headless rehearsal: editor: notes.txt: no change described, file left as is');
    expect(report.stdout).toContain('Headless rehearsal (runbook rehearse --headless, default)');
  });

  it('exits 1 when a block fails, saying which command and why, and rehearses the blocks after it', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('failing.md', FAILING), '--headless');
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^✓ First — echo first/);
    expect(lines[2]).toMatch(/^✗ Broken — echo before — exit 127 at command 2 of 3: .*false-command-that-does-not-exist: command not found \(\d+\.\d s\)$/);
    expect(lines[3]).toMatch(/^✓ After — echo still rehearsed/);
    expect(lines[4]).toMatch(/^3 blocks: 2 passed, 1 failed, 0 skipped — session /);
    const status = JSON.parse((await runbook(w, 'status', '--json')).stdout);
    expect(status[0]).toMatchObject({kind: 'rehearsal', stepsDone: 2, failed: 1});
  });

  it('--json prints one document: the runbook, the session, each block with its status and reason, the summary', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('failing.md', FAILING), '--headless', '--json', '--scenario', 'bad-release');
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      runbook: {title: 'Failing drill', path: join(w.dir, 'failing.md')},
      scenario: 'bad-release',
      session: expect.any(String),
      summary: {blocks: 3, passed: 2, failed: 1, skipped: 0, doneNatively: 0},
      unusedSets: [],
      exitCode: 1,
    });
    expect(doc.blocks).toHaveLength(3);
    expect(doc.blocks[1]).toEqual({
      native: null,
      step: 'Broken',
      stepId: expect.any(String),
      blockId: expect.any(String),
      command: 'echo before',
      status: 'failed',
      reason: expect.stringMatching(/^exit 127 at command 2 of 3: /),
      exitCode: 127,
      durationMs: expect.any(Number),
      dangerous: false,
      stopped: [],
    });
    expect(doc.blocks[0]).toMatchObject({step: 'First', status: 'passed', reason: null, exitCode: 0});
  });

  it('--set answers a variable by its name and a placeholder by its text; without it the placeholder takes the runbook’s text', async () => {
    const w = workspace();
    const file = w.file('answers.md', ANSWERS);
    const given = await runbook(w, 'rehearse', file, '--headless', '--json', '--set', 'RELEASE_TAG=v1.2.0', '--set', '/path/to/kubeconfig-staging.yaml=/tmp/staging.yaml', '--set', 'UNUSED=1');
    expect(given.exitCode).toBe(0);
    const doc = JSON.parse(given.stdout);
    expect(doc.summary).toEqual({blocks: 2, passed: 2, failed: 0, skipped: 0, doneNatively: 0});
    expect(doc.unusedSets).toEqual(['UNUSED']);
    const said = journal(w).filter(e => e.type === 'run-finished').map(e => (e.tail as string[]).join('\n'));
    expect(said).toEqual(['using /tmp/staging.yaml', 'deploying v1.2.0']);

    const bare = workspace();
    const r = await runbook(bare, 'rehearse', bare.file('answers.md', ANSWERS), '--headless');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('✓ Configure');
    expect(r.stdout).toContain('⤼ Deploy — echo "deploying $RELEASE_TAG" — skipped: no value for RELEASE_TAG (give --set RELEASE_TAG=…)');
    expect(journal(bare).find(e => e.type === 'run-finished')!.tail).toEqual(['using /path/to/kubeconfig-staging.yaml']);
  });

  it('a follower runs a few seconds, is stopped as Ctrl-C stops it, and counts as passed; a block marked interactive runs on a terminal of its own', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('followers.md', FOLLOWERS), '--headless');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^✓ Follow — echo before — stopped a follower after 3 s \((3|4|5)\.\d s\)$/);
    expect(lines[2]).toMatch(/^✓ Terminal — echo "on a terminal of its own" \(\d+\.\d s\)$/);
    const events = journal(w);
    // Recorded as the guided screen records a follower the operator stopped: exit 0, that command `stopped`, the rest run.
    const finished = events.find(e => e.type === 'run-finished')!;
    expect(finished).toMatchObject({exitCode: 0, cancelled: false, commandNotes: [{index: 1, note: 'stopped'}]});
    expect(finished.tail).toContain('after the follower');
    expect(events.find(e => e.type === 'run-started')).toMatchObject({interactive: true});
    expect(events.some(e => e.type === 'note' && /stopped `tail -f \/dev\/null` after 3 s with Ctrl-C/.test(e.text as string))).toBe(true);
  });

  itNeeds(['kubectl'])('kubectl get pods -w against the sandbox is stopped after a few seconds and passes', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('watch.md', KUBE_FOLLOWER), '--headless', '--json');
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.blocks[0]).toMatchObject({status: 'passed', stopped: [expect.stringMatching(/kubectl get pods -n overlord-production -w$/)]});
    const finished = journal(w).find(e => e.type === 'run-finished')!;
    expect(finished).toMatchObject({exitCode: 0, commandNotes: [{index: 0, note: 'stopped'}]});
    expect((finished.tail as string[]).join('\n')).toMatch(/overlord-.*Running/);
  });

  it('an editor makes the change its comment describes (Update key = value, Set KEY=VALUE), none without one, for that block only', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('edits.md', EDITS), '--headless');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^✓ Bump — printf .* — editor: pyproject\.toml: version = "1\.2\.0"; editor: \.env: LOG_LEVEL=debug; editor: notes\.txt: no change described, file left as is \(\d+\.\d s\)$/);
    // The block's own indentation kept, the other lines untouched.
    const [bump, after] = journal(w).filter(e => e.type === 'run-finished');
    expect(bump!.tail).toEqual(['[project]', 'name = "overlord"', '  version = "1.2.0"', 'LOG_LEVEL=debug']);
    // The shims were that block's: the next one has no $EDITOR of theirs, nor their directory on PATH.
    expect(after!.tail).toEqual(['shims: 0']);
    expect(readdirSync(join(w.state, 'tmp')).filter(f => f.startsWith('editor-'))).toEqual([]);
  });

  it('what a block asks is answered with Enter; one that asks on and on gets Ctrl-D, then Ctrl-C and fails "waited for input"', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('prompts.md', PROMPTS), '--headless', '--input-wait', '3');
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^✓ Ask — read -p "continue\? \[Y\/n\] " a; echo "got:\[\$a\]" — answered 1 prompt with Enter \((1|2)\.\d s\)$/);
    expect(lines[2]).toMatch(/^✗ Insist — name="" — waited for input: answered 3 prompts with Enter, then Ctrl-D, still waiting 3 s after the first key, ended with Ctrl-C \(\d+\.\d s\)$/);
    expect(lines[3]).toMatch(/^✓ After — echo still rehearsed/);
    expect(lines[4]).toMatch(/^3 blocks: 2 passed, 1 failed, 0 skipped — session /);
    const [ask, insist] = journal(w).filter(e => e.type === 'run-finished');
    expect(ask).toMatchObject({exitCode: 0});
    expect(ask!.tail).toContain('got:[]');
    expect(insist).toMatchObject({cancelled: false, error: expect.stringMatching(/^waited for input/)});
  });

  itNeeds(['kubectl'])('a failed block whose job the app does natively (u) is then done so and still fails the rehearsal; --no-native leaves it', async () => {
    const w = workspace();
    const r = await runbook(w, 'rehearse', w.file('undo.md', UNDO), '--headless', '--speed', '4');
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[2]).toMatch(/^✗ Roll back — kubectl rollout undo deployment\/overlord --to-revision=99 .* — exit 1: error: unable to find specified revision 99 in history/);
    expect(lines[3]).toMatch(/^ {2}↳ done by u: deployment\.apps\/overlord rolled back to revision 1; deployment "overlord" successfully rolled out$/);
    expect(lines[4]).toMatch(/^2 blocks: 1 passed, 1 failed \(1 of them then done natively\), 0 skipped/);
    // Recorded as the screen records u: native runs of the block, and the step done by it.
    const events = journal(w);
    expect(events.filter(e => e.type === 'run-started' && e.native === 'u').length).toBe(2);
    expect(events.find(e => e.type === 'step-marked')).toMatchObject({status: 'done', doneBy: 'u'});

    const bare = workspace();
    const no = await runbook(bare, 'rehearse', bare.file('undo.md', UNDO), '--headless', '--speed', '4', '--no-native', '--json');
    expect(no.exitCode).toBe(1);
    const doc = JSON.parse(no.stdout);
    expect(doc.blocks[1]).toMatchObject({status: 'failed', native: null});
    expect(journal(bare).some(e => e.native)).toBe(false);
  }, 60_000);

  it('loads nothing of React or Ink: every module it loads is one of the bundle’s chunks without them', async () => {
    const w = workspace();
    // A module hook that names each chunk the CLI loads, so the test can look inside them.
    writeFileSync(join(w.dir, 'hooks.mjs'), "export async function load(url, context, next) { if (url.includes('/chunks/')) process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n");
    writeFileSync(join(w.dir, 'register.mjs'), "import {register} from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    const r = await execa(process.execPath, ['--import', './register.mjs', CLI, 'rehearse', w.file('failing.md', FAILING), '--headless', '--state-dir', w.state], {cwd: w.dir, reject: false});
    expect(r.exitCode).toBe(1);
    const chunks = [...r.stderr.matchAll(/^LOADED file:\/\/(\S+)$/gm)].map(m => m[1]!);
    expect(chunks.some(c => /rehearse-headless/.test(c))).toBe(true);
    for (const chunk of chunks) expect({chunk, react: /react\.(transitional\.)?element/.test(readFileSync(chunk, 'utf8'))}).toEqual({chunk, react: false});
  });

  it('bad input: one line saying what to do, exit 2, no session', async () => {
    const w = workspace();
    const good = w.file('good.md', FAILING);
    const binary = join(w.dir, 'binary.md');
    writeFileSync(binary, Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0, 7]));
    const cases: Array<[string[], RegExp]> = [
      [['rehearse', good, '--headless', '--bogus'], /^runbook: Unknown option '--bogus'.*; see 'runbook --help'$/],
      [[good, '--headless'], /^runbook: --headless runs a rehearsal against the sandbox only: 'runbook rehearse \[FILE\] --headless'$/],
      [['status', '--headless'], /--headless runs a rehearsal/],
      [['rehearse', good, '--set', 'A=1'], /^runbook: --set answers a headless rehearsal's questions: add --headless/],
      [['rehearse', good, '--no-native'], /^runbook: --no-native is a headless rehearsal's: add --headless$/],
      [['rehearse', good, '--headless', '--input-wait', 'soon'], /^runbook: --input-wait takes a number, not 'soon'$/],
      [['rehearse', good, '--headless', '--set', 'novalue'], /^runbook: --set takes NAME=VALUE, not 'novalue'$/],
      [['rehearse', binary, '--headless'], /^runbook: .*binary\.md/],
      [['rehearse', w.file('empty.md', '---\ntitle: x\n---\n'), '--headless'], /^runbook: .*empty\.md/],
      [['rehearse', w.dir, '--headless'], /^runbook: /],
    ];
    for (const [args, said] of cases) {
      const r = await runbook(w, ...args);
      expect({args, code: r.exitCode, lines: r.stderr.trim().split('\n').length}).toEqual({args, code: 2, lines: 1});
      expect(r.stderr.trim()).toMatch(said);
      expect(r.stdout).toBe('');
    }
    expect(() => readdirSync(join(w.state, 'sessions'))).toThrow();
  });
});

describe('what a headless rehearsal answers, and how it reads editors and prompts', () => {
  it('finds each editor command, its file and the change its comment describes, with the one shell tokenizer', () => {
    const script = 'git checkout -b release/v1.2.0\nnano pyproject.toml  # Update version = "1.2.0"\nvim +3 \'my file.env\' # Set LOG_LEVEL=debug\ngit add . && $EDITOR notes.txt\necho "nano x # Set A=1"';
    expect(editsOf(script, planCommands(script))).toEqual([
      {file: 'pyproject.toml', change: {key: 'version', line: 'version = "1.2.0"'}},
      {file: 'my file.env', change: {key: 'LOG_LEVEL', line: 'LOG_LEVEL=debug'}},
      {file: 'notes.txt', change: null},
    ]);
    expect(describedChange('# Bump   image.tag = v2')).toEqual({key: 'image.tag', line: 'image.tag = v2'});
    expect(describedChange('# KEY=VALUE')).toEqual({key: 'KEY', line: 'KEY=VALUE'});
    expect(describedChange('# fix the typo')).toBeNull();
    expect(describedChange('# Update the version')).toBeNull();
  });

  it('presses Enter after a second of quiet while the block reads the terminal, a few times, then Ctrl-D, then Ctrl-C once the wait is over', () => {
    const keys: string[] = [];
    const watch = new PromptWatch(10_000, k => keys.push(k));
    let now = Date.now();
    watch.look(true, now + 500);
    expect(keys).toEqual([]);
    // Quiet, but nothing reads the terminal (a slow download): no key.
    watch.look(false, (now += 1500));
    expect(keys).toEqual([]);
    for (let i = 0; i < 4; i++) watch.look(true, (now += 1000));
    expect(keys).toEqual(['\r', '\r', '\r', '\x04']);
    expect(answeredWords(watch.answered)).toBe('answered 3 prompts with Enter, then Ctrl-D');
    // Output since the last key: it is doing something, wait for the quiet again.
    watch.output(now + 500);
    watch.look(true, now + 1000);
    expect(keys).toHaveLength(4);
    watch.look(true, (now += 8000));
    expect(keys.at(-1)).toBe('\x03');
    expect(watch.answered.waited).toBe(true);
    const once = new PromptWatch(10_000, () => undefined);
    once.look(null, Date.now() + 1100);
    expect(answeredWords(once.answered)).toBe('answered 1 prompt with Enter');
    expect(answeredWords(new PromptWatch(1, () => undefined).answered)).toBeNull();
  });

  it('answers with --set (a name or a placeholder text), else the suggestion; a variable with neither is missing; a confirmation is given', () => {
    const questions: Question[] = [
      {kind: 'placeholder', text: '/path/to/kubeconfig.yaml', variable: 'KUBECONFIG', suggestion: '/sandbox/kubeconfig'},
      {kind: 'placeholder', text: '<commit-sha>', variable: null, suggestion: '<commit-sha>'},
      {kind: 'variable', name: 'TAG', suggestion: '', secret: false},
      {kind: 'variable', name: 'REGION', suggestion: 'eu-west-1', secret: false},
      {kind: 'variable', name: 'API_TOKEN', suggestion: '', secret: true},
      {kind: 'confirm', expected: 'prod', target: 'namespace', dangers: ['deletes']},
    ];
    expect(answersFor(questions, {'<commit-sha>': 'abc123', TAG: 'v1.2.0', KUBECONFIG: '/given'})).toEqual({
      answers: {placeholders: {'/path/to/kubeconfig.yaml': '/given', '<commit-sha>': 'abc123'}, variables: {TAG: 'v1.2.0', REGION: 'eu-west-1'}, confirmed: true},
      missing: ['API_TOKEN'],
      used: ['KUBECONFIG', '<commit-sha>', 'TAG'],
    });
    expect(answersFor(questions, {}).answers.placeholders).toEqual({'/path/to/kubeconfig.yaml': '/sandbox/kubeconfig', '<commit-sha>': '<commit-sha>'});
    // A variable the block sets itself (`read -p "…" TAG; echo "$TAG"`, on one line) is left to it.
    expect(answersFor(questions, {}, ['TAG', 'API_TOKEN']).missing).toEqual([]);
  });

  it('tells a running follower by its argv, a program installed as a script too', () => {
    expect(followsOutput(['/usr/bin/kubectl', 'get', 'pods', '-n', 'x', '-w'])).toBe(true);
    expect(followsOutput(['sh', '/usr/local/bin/kubectl', 'logs', '-f', 'deploy/x'])).toBe(true);
    expect(followsOutput(['gh', 'run', 'watch'])).toBe(true);
    expect(followsOutput(['watch', '-n', '2', 'kubectl get pods'])).toBe(true);
    expect(followsOutput(['tail', '-f', '/dev/null'])).toBe(true);
    expect(followsOutput(['kubectl', 'get', 'pods'])).toBe(false);
    expect(followsOutput(['bash', '-c', 'tail -f x'])).toBe(false);
  });
});
