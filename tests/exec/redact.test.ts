import {describe, expect, it} from 'vitest';
import {createRedactor, isSecretName, REDACTED, redactLine} from '../../source/exec/index.js';

const GHP = `ghp_${'A1b2C3d4E5'.repeat(3)}123456`;

describe('redactLine', () => {
	it.each([
		['GitHub classic token', `token is ${GHP} ok`, `token is ghp_${REDACTED} ok`],
		['GitHub OAuth / app tokens', `gho_${'x'.repeat(36)} ghs_${'y'.repeat(36)} ghu_${'z'.repeat(36)} ghr_${'w'.repeat(36)}`,
			`gho_${REDACTED} ghs_${REDACTED} ghu_${REDACTED} ghr_${REDACTED}`],
		['GitHub fine-grained token', `github_pat_11ABCDEFG0_${'a'.repeat(59)}`, `github_pat_${REDACTED}`],
		['Authorization header', 'Authorization: Bearer eyJhbGciOi.xyz-123_abc', `Authorization: Bearer ${REDACTED}`],
		['curl -v header', '> authorization: Basic dXNlcjpwYXNz', `> authorization: Basic ${REDACTED}`],
		['bare Bearer token', 'using Bearer abc123def456', `using Bearer ${REDACTED}`],
		['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE in use', `key AKIA${REDACTED} in use`],
		['AWS session key id', 'ASIAIOSFODNN7EXAMPLE', `ASIA${REDACTED}`],
		['AWS secret in credentials file', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
			`aws_secret_access_key = ${REDACTED}`],
		['JSON password', '{"user":"bob","password":"hunter2"}', `{"user":"bob","password":"${REDACTED}"}`],
		['JSON token with spaces', '{"token": "abc def"}', `{"token": "${REDACTED}"}`],
		['JSON secret and api_key', '{"client_secret": "s1", "api_key": "k1", "name": "n"}',
			`{"client_secret": "${REDACTED}", "api_key": "${REDACTED}", "name": "n"}`],
		['JSON escaped quote in value', String.raw`{"secret": "a\"b", "x": 1}`, `{"secret": "${REDACTED}", "x": 1}`],
		['password in a query string', 'GET /login?user=bob&password=hunter2&next=/', `GET /login?user=bob&password=${REDACTED}&next=/`],
		['user:pass@host URL', 'postgres://admin:s3cret@db:5432/app', `postgres://admin:${REDACTED}@db:5432/app`],
		['kubeconfig token', '    token: abcdef.0123456789abcdef', `    token: ${REDACTED}`],
		['kubeconfig client-key-data', '    client-key-data: LS0tLS1CRUdJTi', `    client-key-data: ${REDACTED}`],
		['env dump', 'DB_PASSWORD=hunter2', `DB_PASSWORD=${REDACTED}`],
		['quoted env value with spaces', `API_KEY="a b c" next`, `API_KEY=${REDACTED} next`],
		['Slack bot token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp', `xoxb-${REDACTED}`],
		['Slack user token', 'SLACK=xoxp-1234-5678-abcdefgh', `SLACK=xoxp-${REDACTED}`],
		['inline private key', '"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----"',
			`"-----BEGIN PRIVATE KEY-----${REDACTED}-----END PRIVATE KEY-----"`],
	])('%s', (_name, input, expected) => {
		expect(redactLine(input, [])).toBe(expected);
	});

	it('leaves ordinary output alone', () => {
		for (const line of [
			'deployment.apps/web configured',
			'secretName: db-credentials-ref',
			'tokenizer=fast keyboard=us',
			'https://example.com/path?q=1&page=2',
			'NAME   READY   STATUS    RESTARTS   AGE',
			'PWD=/home/op',
			'ssh user@host',
			'monkey: banana',
		]) {
			expect(redactLine(line, [])).toBe(line);
		}
	});

	it('masks known secret values, the longest first, and ignores short ones', () => {
		expect(redactLine('a=longsecretvalue b=secretv', ['secretv', 'longsecretvalue', 'abc', ''])).toBe(
			`a=${REDACTED} b=${REDACTED}`,
		);
		expect(redactLine('abc is fine', ['abc'])).toBe('abc is fine');
		expect(redactLine('xx hunter2hunter2 yy', ['hunter2hunter2'])).toBe(`xx ${REDACTED} yy`);
	});

	it('is idempotent', () => {
		const once = redactLine(`password=x Authorization: Bearer y ${GHP}`, []);
		expect(redactLine(once, [])).toBe(once);
	});
});

describe('createRedactor', () => {
	it('masks the body of a multi-line private key and resumes after it', () => {
		const redactor = createRedactor();
		const lines = [
			'before',
			'-----BEGIN OPENSSH PRIVATE KEY-----',
			'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
			'  QyNTUxOQAAACDf8PpQ+Kq0/2rXnb9m4xFvJ1m==',
			'-----END OPENSSH PRIVATE KEY-----',
			'after',
		].map((line) => redactor.line(line));
		expect(lines).toEqual([
			'before',
			'-----BEGIN OPENSSH PRIVATE KEY-----',
			REDACTED,
			`  ${REDACTED}`,
			'-----END OPENSSH PRIVATE KEY-----',
			'after',
		]);
	});

	it('stops masking when a key block is cut short', () => {
		const redactor = createRedactor();
		redactor.line('-----BEGIN RSA PRIVATE KEY-----');
		expect(redactor.line('MIIEpAIBAAKCAQEA')).toBe(REDACTED);
		expect(redactor.line('Error: unexpected end of key')).toBe('Error: unexpected end of key');
		expect(redactor.line('ZZZZ')).toBe('ZZZZ');
	});

	it('leaves public certificates readable', () => {
		const redactor = createRedactor();
		expect(redactor.line('-----BEGIN CERTIFICATE-----')).toBe('-----BEGIN CERTIFICATE-----');
		expect(redactor.line('MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa')).toBe('MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa');
	});

	it('says when a chunk cannot need masking', () => {
		const redactor = createRedactor(['known-value']);
		expect(redactor.mayRedact('1\n2\n3\n')).toBe(false);
		expect(redactor.mayRedact('x known-value y\n')).toBe(true);
		expect(redactor.mayRedact('PASSWORD=1\n')).toBe(true);
	});
});

describe('isSecretName', () => {
	it.each([
		'GITHUB_TOKEN', 'DB_PASSWORD', 'MYSQL_PASSWD', 'AWS_SECRET_ACCESS_KEY', 'API_KEY', 'GOOGLE_CREDENTIALS',
		'SSH_PRIVATE_KEY', 'BASIC_AUTH', 'token', 'Vault_Token', 'SLACK_BOT_TOKEN', 'NPM_AUTH_TOKEN',
	])('%s is secret', (name) => expect(isSecretName(name)).toBe(true));

	it.each(['KUBECONFIG', 'MONKEY', 'HOME', 'PATH', 'TOKENIZER_PATH', 'KEYBOARD', 'AUTHOR', 'SECRETARY', 'PWD'])(
		'%s is not secret',
		(name) => expect(isSecretName(name)).toBe(false),
	);
});
