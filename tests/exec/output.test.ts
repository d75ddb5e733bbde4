import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {displayLine, startRun, type RunProgress, type ShellState} from '../../source/exec/index.js';
import {baseShell, makeTempDir, waitFor, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

describe('tail', () => {
	it('keeps only what follows the last carriage return, like a terminal', async () => {
		const result = await startRun({
			script: String.raw`printf 'progress 10%%\rprogress 50%%\rprogress 100%%\n'; printf 'dos line\r\n'; printf 'bar\r\rdone\n'`,
			shell,
			outputFile: tmp.file('out.log'),
		}).done;
		expect(result.tail).toEqual(['progress 100%', 'dos line', 'done']);
		// The file keeps the raw output.
		expect(readFileSync(tmp.file('out.log'), 'utf8')).toContain('progress 10%\rprogress 50%\r');
	});

	it('reports the unterminated last line as partial while it is being rewritten', async () => {
		const seen: RunProgress[] = [];
		const handle = startRun({
			script: String.raw`printf 'step 1\r'; sleep 0.5; printf 'step 2'; sleep 3; echo`,
			shell,
			outputFile: tmp.file('out.log'),
			flushIntervalMs: 50,
			onProgress: (progress) => seen.push(progress),
		});
		await waitFor(() => seen.some((p) => p.partial === 'step 2'), 15_000, 'partial line');
		const result = await handle.done;
		expect(result.tail).toEqual(['step 2']);
		expect(seen.at(-1)?.partial).toBe('');
	});

	it('cuts long lines', async () => {
		const result = await startRun({
			script: `head -c 100000 /dev/zero | tr '\\0' x; echo; echo short`,
			shell,
			outputFile: tmp.file('out.log'),
			maxLineLength: 80,
		}).done;
		expect(result.tail).toHaveLength(2);
		expect(result.tail[0]).toHaveLength(80);
		expect(result.tail[0]?.endsWith('…')).toBe(true);
		expect(result.tail[1]).toBe('short');
		// The file is complete.
		expect(readFileSync(tmp.file('out.log'), 'utf8').length).toBe(100000 + 1 + 6);
	});

	it('bounds the tail and counts every line of a large output', async () => {
		const result = await startRun({script: 'seq 1 100000', shell, outputFile: tmp.file('out.log')}).done;
		expect(result.exitCode).toBe(0);
		expect(result.lines).toBe(100000);
		expect(result.tail).toHaveLength(200);
		expect(result.tail[0]).toBe('99801');
		expect(result.tail.at(-1)).toBe('100000');
		const file = readFileSync(tmp.file('out.log'), 'utf8');
		expect(result.bytes).toBe(Buffer.byteLength(file));
		expect(file.split('\n')).toHaveLength(100001);
	});

	it('honours a smaller tail size', async () => {
		const result = await startRun({script: 'seq 1 50', shell, outputFile: tmp.file('out.log'), tailLines: 3}).done;
		expect(result.tail).toEqual(['48', '49', '50']);
	});

	it('batches progress reports, with a final one at the end', async () => {
		const flushIntervalMs = 50;
		const calls: RunProgress[] = [];
		const result = await startRun({
			script: 'for i in $(seq 1 20); do seq 1 5000; sleep 0.02; done; echo last',
			shell,
			outputFile: tmp.file('out.log'),
			flushIntervalMs,
			onProgress: (progress) => calls.push(progress),
		}).done;
		expect(calls.length).toBeGreaterThan(0);
		expect(calls.length).toBeLessThanOrEqual(result.durationMs / flushIntervalMs + 2);
		const last = calls.at(-1);
		expect(last?.lines).toBe(result.lines);
		expect(last?.tail.at(-1)).toBe('last');
		const elapsed = calls.map((p) => p.elapsedMs);
		expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
	});

	it('keeps colours and drops other escape sequences', async () => {
		const result = await startRun({
			script: String.raw`printf '\033[31mred\033[0m \033[2K\033[1Gplain\033]0;title\007 end\n'`,
			shell,
			outputFile: tmp.file('out.log'),
		}).done;
		expect(result.tail).toEqual(['\x1b[31mred\x1b[0m plain end']);
	});

	it('survives output that is not valid UTF-8 and multibyte characters split across chunks', async () => {
		const result = await startRun({
			script: String.raw`printf '\xff\xfe ok\n'; for i in $(seq 1 20000); do printf 'é'; done; echo`,
			shell,
			outputFile: tmp.file('out.log'),
			maxLineLength: 100000,
		}).done;
		expect(result.tail[0]).toContain('ok');
		expect(result.tail[1]).toBe('é'.repeat(20000));
	});
});

describe('displayLine', () => {
	it('does not leave a broken escape sequence behind a cut', () => {
		const line = `\x1b[32m${'g'.repeat(20)}\x1b[0m`;
		expect(displayLine(line, 14)).toBe(`\x1b[32mgggg\x1b[0m…`);
		expect(displayLine('abcdefgh\x1b[31mred', 12)).toBe('abcdefg…');
		for (const max of [1, 2, 3, 4, 5, 9, 30]) expect(displayLine(line.repeat(3), max).length).toBeLessThanOrEqual(max);
		expect(displayLine('a\tb\x07\x08c', 80)).toBe('a\tbc');
	});
});

describe('recorded output', () => {
	it('masks secrets in the file and the tail', async () => {
		const result = await startRun({
			script: [
				'echo "password=hunter2 user=alice"',
				'echo "Authorization: Bearer abc.def.ghi"',
				'echo "vault said s3cr3t-value-123"',
				`echo '{"token": "tok-123456"}'`,
				'echo "-----BEGIN RSA PRIVATE KEY-----"',
				'echo "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"',
				'echo "-----END RSA PRIVATE KEY-----"',
				'echo "DB=$DB_PASSWORD"',
			].join('\n'),
			shell: {...shell, env: {...shell.env, DB_PASSWORD: 'correct-horse-battery'}},
			outputFile: tmp.file('out.log'),
			secrets: ['s3cr3t-value-123'],
		}).done;
		const file = readFileSync(tmp.file('out.log'), 'utf8');
		for (const text of [file, result.tail.join('\n')]) {
			for (const secret of ['hunter2', 'abc.def.ghi', 's3cr3t-value-123', 'tok-123456', 'MIIEow', 'correct-horse-battery']) {
				expect(text).not.toContain(secret);
			}
			expect(text).toContain('password=[REDACTED] user=alice');
			expect(text).toContain('Authorization: Bearer [REDACTED]');
			expect(text).toContain('-----BEGIN RSA PRIVATE KEY-----');
			expect(text).toContain('-----END RSA PRIVATE KEY-----');
		}
	});

	it('masks a secret split across output chunks', async () => {
		const result = await startRun({
			// Long enough that the pipe delivers it in several chunks.
			script: `head -c 70000 /dev/zero | tr '\\0' x; echo " token=abcdefgh-secret"; seq 1 3`,
			shell,
			outputFile: tmp.file('out.log'),
		}).done;
		const file = readFileSync(tmp.file('out.log'), 'utf8');
		expect(file).not.toContain('abcdefgh-secret');
		expect(file).toContain('token=[REDACTED]');
		expect(result.tail.at(-1)).toBe('3');
	});
});

describe('pathological output', () => {
	it('writes an overlong unterminated line out instead of holding it', async () => {
		const result = await startRun({
			script: `head -c 3000000 /dev/zero | tr '\\0' y; echo; echo after`,
			shell,
			outputFile: tmp.file('out.log'),
			maxLineLength: 50,
		}).done;
		expect(result.lines).toBe(2);
		expect(result.tail).toEqual([`${'y'.repeat(49)}…`, 'after']);
		expect(readFileSync(tmp.file('out.log')).length).toBe(3_000_000 + 1 + 6);
	});

	it('shows the last state of a progress line redrawn over megabytes', async () => {
		const result = await startRun({
			// About 2.5 MB of one line: `progress 1\rprogress 2\r…\rdone`.
			script: `seq 1 200000 | sed 's/^/progress /' | tr '\\n' '\\r'; echo done`,
			shell,
			outputFile: tmp.file('out.log'),
		}).done;
		expect(result.exitCode).toBe(0);
		expect(result.lines).toBe(1);
		expect(result.tail).toEqual(['done']);
	});

	it('keeps running and says so when the output file cannot be written', async () => {
		const blocker = tmp.file('not-a-dir');
		await startRun({script: 'true', shell, outputFile: blocker}).done;
		const result = await startRun({script: 'echo still-runs', shell, outputFile: `${blocker}/out.log`}).done;
		expect(result.exitCode).toBe(0);
		expect(result.tail).toEqual(['still-runs']);
		expect(result.error).toMatch(/could not write/);
	});
});
