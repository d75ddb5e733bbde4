// Nothing a runbook (or a command's output) holds reaches the terminal raw: a shared runbook is untrusted input,
// and an escape sequence in it could write the operator's clipboard (OSC 52), the window title (OSC 0), plant a
// link (OSC 8) or move the cursor. The real binary in a real terminal, every byte it wrote checked; then `show`,
// `status` and `report` as child processes. And binary output never makes the frame taller than the terminal.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterEach, describe, expect, it} from 'vitest';
import {CLI, ROOT} from '../helpers/paths.js';
import {Terminal, tempDir} from '../helpers/tui.js';

const HOSTILE = join(ROOT, 'tests/fixtures/hostile-escapes.md');
const BINARY = join(ROOT, 'tests/fixtures/binary-output.md');
afterEach(() => Terminal.stopAll());

/** The clipboard payloads the fixture hides (base64), one per place it hides them. */
const PAYLOADS = ['SGVhZGluZw==', 'UGFyYWdyYXBo', 'Q2hlY2s=', 'VGFibGU=', 'Q29kZQ==', 'Q29tbWFuZA==', 'SGFuZG92ZXI='];

/** Every way the fixture's text could act on the terminal, found in what the program wrote. */
function injections(bytes: string): string[] {
  const found: string[] = [];
  const look = (what: string, re: RegExp) => {
    const m = re.exec(bytes);
    if (m) found.push(`${what}: ${JSON.stringify(bytes.slice(Math.max(0, m.index - 20), m.index + 40))}`);
  };
  look('window title (OSC 0)', /\x1b\]0;/);
  look('link (OSC 8)', /\x1b\]8;/);
  look('application command (APC)', /\x1b_/);
  look('device control (DCS)', /\x1bP/);
  look('C1 control', /[\u0080-\u009f]/);
  look('cursor move from the runbook', /\x1b\[13;37H/);
  look('colour from the runbook', /\x1b\[38;5;201m/);
  look('bidi override', /[\u202a-\u202e\u2066-\u2069]/);
  for (const payload of PAYLOADS) look(`clipboard write ${payload}`, new RegExp(`\\x1b\\]52;c;${payload.replace(/[+=/]/g, '\\$&')}`));
  // The app's own copy (a template the operator asked for) is fine; what it copies must not carry escapes.
  for (const m of bytes.matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]*)/g)) {
    const copied = Buffer.from(m[1]!, 'base64').toString('utf8');
    if (/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(copied)) found.push(`a copy carrying escapes: ${JSON.stringify(copied)}`);
  }
  return found;
}

const cli = (...args: string[]) => execa(process.execPath, [CLI, ...args], {reject: false, env: {NO_COLOR: '1'}, encoding: 'buffer'});
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('a hostile runbook', () => {
  it('shows its escape sequences as visible text, never sends them, through a whole session', async () => {
    const state = tempDir('safety');
    const t = new Terminal([HOSTILE, '--state-dir', state], {size: '120x40'});
    const first = await t.wait('runbook · Hostile');
    // Shown, so the operator can see what the runbook hides.
    expect(first).toContain('␛]52;c;SGVhZGluZw==␇');
    expect(first).toContain('Paragraph ␛]8;;https://evil.example/p␛\\link␛]8;;␛\\ then');
    // (Where the paragraph wraps depends on the step's width.)
    expect(first).toContain('␛[13;37H␛[38;5;201mpink␛[0m and');
    expect(first).toContain('␛]0;PWN-c1␛\\ and ␛[2J and <U+202E>esrever<U+202C>');
    t.keys('n');
    await t.wait('Step ␛]0;PWN-step␇ one');
    const step = await t.wait('\\[ \\] Tick ␛]52;c;Q2hlY2s=␇ this');
    expect(step).toContain('│ note ␛]52;c;Q29kZQ==␇ ␛]0;PWN-code␇ ␛Pqdcs␛\\ ␛_apc␛\\');
    expect(step).toContain(": '␛]0;PWN-cmd␇␛]52;c;Q29tbWFuZA==␇'; echo ran-hostile");
    t.keys('Space');
    await t.wait('\\[x\\] Tick');
    t.keys('Down', 'Enter'); // the text block: a template, filled and copied
    await t.wait('Filled and copied');
    t.keys('Down', 'Enter'); // the command
    const ran = await t.wait('✓ exit 0');
    expect(ran).toContain('ran-hostile');
    expect(ran).toMatch(/Name ␛]0;PWN-th␇ +│ Value/);
    t.keys('n');
    await t.wait('Hand over');
    t.keys('Enter');
    await t.wait('│handed-over'); // its recorded output, in the pane
    t.keys('q');
    await t.wait('\\[runbook exited 0\\]');
    await t.settled();
    const bytes = t.raw();
    // The hand-over line and the summary went out as plain text too.
    expect(bytes).toMatch(/── runbook: : '␛]52;c;SGFuZG92ZXI=␇␛]0;PWN-handover␇/);
    expect(bytes).toMatch(/runbook: Hostile ␛]52;c;SGVhZGluZw==␇␛]0;PWN-title␇ runbook — /);
    expect(bytes).toContain('handed-over');
    expect(injections(bytes)).toEqual([]);
    // The template the operator asked to copy was copied, its hidden sequences as visible text.
    const copies = [...bytes.matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]*)\x07/g)].map(m => Buffer.from(m[1]!, 'base64').toString('utf8'));
    expect(copies).toEqual([expect.stringContaining('note ␛]52;c;Q29kZQ==␇ ␛]0;PWN-code␇')]);

    // The session stored the runbook's title as it is; `status` and `report` print it, safely.
    const status = await cli('status', '--state-dir', state);
    expect(status.exitCode).toBe(0);
    expect(text(status.stdout)).toContain('Hostile ␛]52;c;');
    expect(injections(text(status.stdout))).toEqual([]);
    const json = await cli('status', '--json', '--state-dir', state);
    expect(injections(text(json.stdout))).toEqual([]);
    const [session] = JSON.parse(text(json.stdout)) as Array<{id: string; runbook: string}>;
    expect(session!.runbook).toBe('Hostile \x1b]52;c;SGVhZGluZw==\x07\x1b]0;PWN-title\x07 runbook');
    for (const format of ['md', 'json']) {
      const report = await cli('report', session!.id, '--format', format, '--state-dir', state);
      expect(report.exitCode, text(report.stderr)).toBe(0);
      expect(injections(text(report.stdout)), format).toEqual([]);
    }
    const report = await cli('report', session!.id, '--state-dir', state);
    expect(text(report.stdout)).toMatch(/Ran `: '␛]0;PWN-cmd␇␛]52;c;Q29tbWFuZA==␇'; echo ran-hostile`/);
    expect(text(report.stdout)).toContain('Ticked “Tick ␛]52;c;Q2hlY2s=␇ this');
  });

  it('a kubeconfig naming its context with escape sequences is shown, not obeyed, in the header', async () => {
    const dir = tempDir('safety');
    const kubeconfig = join(dir, 'kubeconfig');
    const context = 'prod\x1b]0;PWN-ctx\x07\u009b2J';
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        'current-context': context,
        contexts: [{name: context, context: {cluster: 'c', namespace: 'pay\x1b]8;;https://evil.example\x07ments', user: 'u'}}],
        clusters: [{name: 'c', cluster: {server: 'https://127.0.0.1:9'}}],
        users: [{name: 'u', user: {token: 'x'}}],
      }),
    );
    const t = new Terminal([HOSTILE, '--state-dir', join(dir, 'state')], {size: '160x30', env: {KUBECONFIG: kubeconfig}});
    const screen = await t.wait('ctx prod');
    expect(screen.split('\n')[0]).toContain('ctx prod␛]0;PWN-ctx␇␛[2J · ns pay␛]8;;https://evil.example␇ments');
    t.keys('q');
    await t.wait('\\[runbook exited 0\\]');
    expect(injections(t.raw())).toEqual([]);
  });

  it('`show` prints it safely, as an outline and as JSON that still holds the original text', async () => {
    const outline = await cli('show', HOSTILE);
    expect(outline.exitCode).toBe(0);
    expect(text(outline.stdout)).toContain('Step ␛]0;PWN-step␇ one');
    expect(injections(text(outline.stdout))).toEqual([]);
    const json = await cli('show', HOSTILE, '--json');
    expect(injections(text(json.stdout))).toEqual([]);
    expect(JSON.parse(text(json.stdout)).title).toBe('Hostile \x1b]52;c;SGVhZGluZw==\x07\x1b]0;PWN-title\x07 runbook');
  });

  it('a file name holding escapes is shown safely in the one-line error', async () => {
    const r = await cli('show', join(tempDir('safety'), 'no\x1b]0;PWN-file\x07such\u009b2J.md'));
    expect(r.exitCode).toBe(2);
    const err = text(r.stderr);
    expect(err).toMatch(/^runbook: .*no␛]0;PWN-file␇such/);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(injections(err)).toEqual([]);
  });
});

describe('binary output', () => {
  it('never makes the frame taller or wider than the terminal; the header stays', async () => {
    const dir = tempDir('binary');
    // A production-looking target, as in the issue: the header must keep naming it, in red.
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'prod-eu',
        contexts: [{name: 'prod-eu', context: {cluster: 'prod-eu', namespace: 'payments', user: 'u'}}],
        clusters: [{name: 'prod-eu', cluster: {server: 'https://127.0.0.1:9'}}],
        users: [{name: 'u', user: {token: 'x'}}],
      }),
    );
    const t = new Terminal([BINARY, '--state-dir', join(dir, 'state')], {size: '80x24', env: {KUBECONFIG: kubeconfig}});
    const fits = (screen: string, where: string) => {
      const rows = screen.split('\n');
      expect(rows, where).toHaveLength(24);
      expect(rows[0], `${where}: the header`).toMatch(/^ runbook · Binary output .*ctx prod-eu · ns payments/);
      expect(rows[22], `${where}: the status bar on the last line of the frame`).toMatch(/checks · \d+\/\d+ steps/);
    };
    fits(await t.wait('ns payments'), 'opened');
    t.keys('n');
    await t.wait('Noise  \\d+/\\d+');
    t.keys('Enter');
    fits(await t.wait('✓ exit 0'), 'after the run');
    t.keys('n');
    fits(await t.wait('Calm  \\d+/\\d+'), 'the next step');
    t.keys('p');
    fits(await t.wait('Noise  \\d+/\\d+ · '), 'back on the step');
    t.keys('Down', 'Space');
    fits(await t.wait('\\[x\\] Looked at the noise'), 'after a tick');
    t.keys('q');
    await t.wait('\\[runbook exited 0\\]');

    // Resumed, the output comes from the journal: the same bounds.
    const again = new Terminal([BINARY, '--state-dir', join(dir, 'state')], {size: '80x24', env: {KUBECONFIG: kubeconfig}});
    await again.wait('Enter resume');
    again.keys('Enter');
    fits(await again.wait('✓ exit 0'), 'resumed');
  }, 60_000);
});
