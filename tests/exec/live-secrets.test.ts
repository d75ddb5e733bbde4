// A block's own secrets are known before its output is written: the shell reports each secret-named assignment and
// waits for the app to mask it before the next command runs. The environment dump lives in the state directory, only
// the operator's, and is gone when the run ends or after the next start.
import {execFileSync} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {isSecretName, redactLine, startRun, type ShellState} from '../../source/exec/index.js';
import {sweepShellDumps} from '../../source/exec/shell-state.js';
import {secretNameCasePattern} from '../../source/runbook/secret-names.js';
import {baseShell, makeTempDir, waitFor, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

const run = (script: string, extra: {onSecrets?: (values: string[]) => void} = {}) =>
	startRun({script, shell, outputFile: tmp.file('runs/out.log'), scratchDir: tmp.file('state-tmp'), ...extra}).done;

describe("a block's own secrets", () => {
	it('are masked in the file and on screen however the block assigns them, before it prints them', async () => {
		const learned: string[] = [];
		const result = await run(
			[
				'export DB_PASSWORD=hunter2-secret; echo "1 $DB_PASSWORD"; echo "2 $DB_PASSWORD" >&2',
				'f() { local X_TOKEN=token-in-a-function; echo "3 $X_TOKEN"; }; f',
				'( export A_CRED=cred-in-a-subshell; echo "4 $A_CRED" )',
				'echo "5 $(export SSH_PRIVATE_KEY_B64=key-in-a-substitution; echo $SSH_PRIVATE_KEY_B64)"',
				'read -r C_AUTH <<< auth-read-from-stdin; echo "6 $C_AUTH"',
				'n=D_SECRET; printf -v "$n" %s secret-by-indirection; echo "7 $D_SECRET"',
				'export $(echo E_TOKEN=token-from-expansion); echo "8 $E_TOKEN"',
				"eval 'G_KEY=key-assigned-in-eval; echo \"9 $G_KEY\"'",
				'printf "%s\\n" "DB_CRED=cred-sourced-value" > vars.sh; source ./vars.sh; echo "10 $DB_CRED"',
				'for LOOP_TOKEN in token-from-a-for-loop; do echo "11 $LOOP_TOKEN"; done',
				'export SHORT_PASS=hunt3r; echo "12 $SHORT_PASS"',
				// A number is not masked: every 3600 in the output would go.
				'export TOKEN_TTL=3600; echo "13 ttl $TOKEN_TTL"',
			].join('\n'),
			{onSecrets: (values) => learned.push(...values)},
		);
		expect(result.exitCode).toBe(0);
		const values = [
			'hunter2-secret', 'token-in-a-function', 'cred-in-a-subshell', 'key-in-a-substitution', 'auth-read-from-stdin',
			'secret-by-indirection', 'token-from-expansion', 'key-assigned-in-eval', 'cred-sourced-value', 'token-from-a-for-loop',
			'hunt3r',
		];
		const file = readFileSync(tmp.file('runs/out.log'), 'utf8');
		for (const value of values) expect(file, value).not.toContain(value);
		expect(result.tail.join('\n')).not.toMatch(new RegExp(values.join('|')));
		expect(result.tail.filter((line) => line.endsWith('[REDACTED]'))).toHaveLength(12);
		expect(result.tail).toContain('13 ttl 3600');
		expect(learned).toEqual(expect.arrayContaining(values));
	});

	it('never show in a `set -x` trace, and the watch itself stays out of the trace', async () => {
		const result = await run('set -x\nexport F_PASS=traced-pass-value\necho "$F_PASS"\nexport X_AUTH=\'two words\'\necho done');
		const file = readFileSync(tmp.file('runs/out.log'), 'utf8');
		expect(file).not.toContain('traced-pass-value');
		expect(file).not.toContain('two words');
		expect(file).not.toContain('__rb');
		expect(result.tail).toContain('done');
	});

	it('leave the block as a shell would: $_, $?, PIPESTATUS, BASH_REMATCH and the failing line', async () => {
		const result = await run(
			[
				'mkdir -p made/here && echo "underscore $_"',
				'false || echo "status $?"',
				'set +o pipefail; false | true; echo "pipestatus ${PIPESTATUS[*]}"; set -o pipefail',
				'[[ abc =~ (b) ]]; echo "rematch ${BASH_REMATCH[1]}"',
				'export MY_TOKEN=abcdefgh1234; false',
			].join('\n'),
		);
		expect(result.tail).toEqual(['underscore made/here', 'status 1', 'pipestatus 1 0', 'rematch b']);
		expect([result.exitCode, result.failedLine]).toEqual([1, 5]);
		expect(result.shell.env.MY_TOKEN).toBe('abcdefgh1234'); // still carried to the next block, in memory
	});
});

describe('the environment dump', () => {
	it('is made in the scratch directory, 0600 in a 0700 directory, and removed when the run ends', async () => {
		const pending = run('export GITHUB_TOKEN=ghp_dumpedTokenValue0123456789; echo started; sleep 1');
		const scratch = tmp.file('state-tmp');
		const [dump] = await waitFor(() => {
			try {
				const found = readdirSync(scratch);
				return found.length ? found : undefined;
			} catch {
				return undefined;
			}
		});
		expect(dump).toMatch(new RegExp(`^shell-${process.pid}-`));
		expect(statSync(join(scratch, dump!)).mode & 0o777).toBe(0o700);
		for (const name of readdirSync(join(scratch, dump!))) expect(statSync(join(scratch, dump!, name)).mode & 0o777, name).toBe(0o600);
		expect(statSync(scratch).mode & 0o777).toBe(0o700);
		const result = await pending;
		expect(result.shell.env.GITHUB_TOKEN).toBe('ghp_dumpedTokenValue0123456789');
		expect(readdirSync(scratch)).toEqual([]);
		expect(statSync(tmp.file('runs/out.log')).mode & 0o777).toBe(0o600);
		expect(statSync(tmp.file('runs')).mode & 0o777).toBe(0o700);
	});

	it('left by a killed runbook is swept on the next start; those of live processes stay', () => {
		const scratch = tmp.file('scratch');
		mkdirSync(join(scratch, 'shell-999999-dead01'), {recursive: true});
		writeFileSync(join(scratch, 'shell-999999-dead01', 'env'), 'DB_PASSWORD=left-behind\0');
		mkdirSync(join(scratch, `shell-${process.ppid}-alive1`));
		sweepShellDumps(scratch);
		expect(readdirSync(scratch)).toEqual([`shell-${process.ppid}-alive1`]);
	});
});

describe('secret names', () => {
	it.each(['DB_CRED', 'GCP_CREDFILE_JSON', 'VAULT_CREDSTORE', 'SSH_PRIVATE_KEY', 'DEPLOY_PRIVATE_KEY_PATH', 'AWS_CREDS', 'X_PRIVATE_KEYFILE'])(
		'%s is secret',
		(name) => expect(isSecretName(name)).toBe(true),
	);

	it('are told the same way by the shell as by the app', () => {
		const names = ['DB_CRED', 'GCP_CREDFILE_JSON', 'SSH_PRIVATE_KEY', 'db_password', 'GITHUB_PAT', 'KUBECONFIG', 'MONKEY', 'TOKENIZER_PATH', 'PATH', 'AUTHOR', 'SECRETARY', 'X_AUTH', 'my_Token_2'];
		const script = `for n in ${names.join(' ')}; do case "_\${n^^}_" in ${secretNameCasePattern()}) echo "$n yes";; *) echo "$n no";; esac; done`;
		const bash = execFileSync('bash', ['-c', script], {encoding: 'utf8'}).trim().split('\n');
		expect(bash).toEqual(names.map((name) => `${name} ${isSecretName(name) ? 'yes' : 'no'}`));
	});
});

describe('an assignment to a secret-named variable in output', () => {
	it.each([
		['+ F_PASS=abc123', '+ F_PASS=[REDACTED]'],
		["+ export 'X_AUTH=two words'", "+ export 'X_AUTH=[REDACTED]'"],
		['GITHUB_PAT="quoted value"', 'GITHUB_PAT=[REDACTED]'],
		['DB_CRED=zzzz and more', 'DB_CRED=[REDACTED] and more'],
		['KEY_FILE=/home/op/.ssh/id_ed25519', 'KEY_FILE=/home/op/.ssh/id_ed25519'],
		['TOKEN_TTL=3600', 'TOKEN_TTL=3600'],
		['bypass=1 compass=north', 'bypass=1 compass=north'],
	])('%s → %s', (line, shown) => expect(redactLine(line)).toBe(shown));
});
