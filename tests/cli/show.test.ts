import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, SEED_GUIDE, SHIPPED_GUIDE} from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-show-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const run = (...args: string[]) => execa(process.execPath, [CLI, ...args], {reject: false, env: {NO_COLOR: '1'}});

describe('runbook show', () => {
  it('prints the model as JSON with the documented fields', async () => {
    const r = await run('show', SEED_GUIDE, '--json');
    expect(r.exitCode).toBe(0);
    const model = JSON.parse(r.stdout);
    expect(model.title).toBe('Production Deployment Guide');
    expect(Array.isArray(model.sections)).toBe(true);
    const step = model.sections[2].children[0];
    expect(Object.keys(step)).toEqual(expect.arrayContaining(['id', 'title', 'blocks', 'checklist']));
    expect(model.variables.map((v: {name: string}) => v.name)).toEqual(expect.arrayContaining(['KUBECONFIG', 'SERVICE_IP', 'RUN_ID', 'PREV_TAG']));
    expect(model.warnings[0]).toMatch(/Mac Roman/);
  });

  it('prints a readable outline with counts', async () => {
    const r = await run('show', SHIPPED_GUIDE);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/62 tasks · 27 criteria/);
    expect(r.stdout).toMatch(/Step 4: Merge to Main\s+1 command block/);
  });

  it('is reachable through npm run --silent with no extra output', async () => {
    const r = await execa('npm', ['run', '--silent', 'runbook', '--', 'show', SHIPPED_GUIDE, '--json'], {reject: false});
    expect(r.exitCode).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toBe('');
  });
});

describe('bad input', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['a missing path', () => join(dir, 'nope.md'), /nope\.md: no such file/],
    ['a directory', () => dir, /is a directory/],
    ['a binary file', () => file('bin.md', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2])), /binary file/],
    ['invalid UTF-8', () => file('latin1.md', Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\n')])), /not valid UTF-8 \(line 1, byte 5\)/],
    ['an empty file', () => file('empty.md', '  \n\n'), /is empty/],
    ['a 20 MB file', () => file('huge.md', `# Huge\n\n${'x'.repeat(20 * 1024 * 1024)}\n`), /20\.0 MB is too large/],
  ];

  it.each(cases)('%s: one line naming the file, exit 2, no stack', async (_name, make, message) => {
    const path = make();
    const r = await run('show', path);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('shows the stack with --debug', async () => {
    const r = await run('show', join(dir, 'nope.md'), '--debug');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('reads a file without headings or with an unterminated fence, with a warning', async () => {
    const flat = await run('show', file('flat.md', 'run `uptime`\n'), '--json');
    expect(flat.exitCode).toBe(0);
    expect(JSON.parse(flat.stdout).warnings.join()).toMatch(/no headings/);
    const open = await run('show', file('open.md', '# T\n\n## A\n\n```bash\necho hi\n'));
    expect(open.exitCode).toBe(0);
    expect(open.stdout).toMatch(/warning: unterminated code fence at line 5/);
  });

  it('rejects unknown options and extra arguments with exit 2', async () => {
    const r = await run('show', SHIPPED_GUIDE, '--jsn');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^runbook: Unknown option '--jsn'/);
    const extra = await run('show');
    expect(extra.exitCode).toBe(2);
  });
});
