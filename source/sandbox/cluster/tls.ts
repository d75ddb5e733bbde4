// A throwaway CA and a serving certificate for 127.0.0.1/localhost, made with the openssl CLI so
// kubectl and client-node verify the sandbox like a real cluster (no insecure flags anywhere).
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export interface SandboxTls {
	caPem: string;
	certPem: string;
	keyPem: string;
	dir: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
	try {
		await run('openssl', args, {cwd, timeout: 10_000});
	} catch (error) {
		const stderr = (error as {stderr?: string}).stderr ?? '';
		throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`);
	}
}

const ecKey = (out: string) => ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out];

/** Generates into `<dir>/tls`; EC keys keep it to a few tens of milliseconds. */
export async function generateTls(dir: string): Promise<SandboxTls> {
	const tlsDir = path.join(dir, 'tls');
	await mkdir(tlsDir, {recursive: true, mode: 0o700});
	await Promise.all([openssl(ecKey('ca.key'), tlsDir), openssl(ecKey('server.key'), tlsDir)]);
	await writeFile(
		path.join(tlsDir, 'server.ext'),
		[
			'basicConstraints=critical,CA:FALSE',
			'keyUsage=critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
			'',
		].join('\n'),
	);
	await Promise.all([
		openssl(
			[
				'req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '3650',
				'-subj', '/CN=runbook-sandbox-ca',
				'-addext', 'basicConstraints=critical,CA:TRUE',
				'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
				'-out', 'ca.crt',
			],
			tlsDir,
		),
		openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr'], tlsDir),
	]);
	await openssl(
		[
			'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key',
			'-set_serial', `0x${randomBytes(8).toString('hex')}`,
			'-days', '825', '-sha256', '-extfile', 'server.ext', '-out', 'server.crt',
		],
		tlsDir,
	);
	const [caPem, certPem, keyPem] = await Promise.all(
		['ca.crt', 'server.crt', 'server.key'].map(f => readFile(path.join(tlsDir, f), 'utf8')),
	);
	return {caPem: caPem!, certPem: certPem!, keyPem: keyPem!, dir: tlsDir};
}
