// The sandbox's CA and serving certificate: made without an openssl binary, verified for real by Node's TLS client
// and by kubectl, shaped like before, and stable for a given directory.
import {execFile} from 'node:child_process';
import {createPrivateKey, X509Certificate} from 'node:crypto';
import {mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {connect, createServer} from 'node:tls';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import 'reflect-metadata'; // before @peculiar/x509, as in tls.ts
import * as x509 from '@peculiar/x509';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {startSandboxCluster} from '../../source/sandbox/cluster/index.js';
import {generateTls, type SandboxTls} from '../../source/sandbox/cluster/tls.js';
import {itNeeds} from '../helpers/requirements.js';
import {httpsRequest, startTestCluster} from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TLS_MODULE = path.join(ROOT, 'source/sandbox/cluster/tls.ts');
const DAY_MS = 86_400_000;

const dirs: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
	vi.useRealTimers();
	await Promise.allSettled(cleanups.splice(0).map(cleanup => cleanup()));
	await Promise.all(dirs.splice(0).map(dir => rm(dir, {recursive: true, force: true})));
});

async function tempDir(): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'runbook-tls-'));
	dirs.push(dir);
	return dir;
}

/** Serves `tls` on 127.0.0.1 and connects with a client that trusts only `ca` (default verification). */
async function handshake(tls: SandboxTls, ca: string, servername?: string): Promise<{data?: string; code?: string}> {
	const server = createServer({key: tls.keyPem, cert: tls.certPem}, socket => socket.end('hello'));
	server.on('tlsClientError', () => {});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	try {
		const {port} = server.address() as AddressInfo;
		return await new Promise(resolve => {
			const socket = connect({host: '127.0.0.1', port, ca, ...(servername ? {servername} : {})});
			let data = '';
			socket.setEncoding('utf8');
			socket.on('data', chunk => (data += chunk));
			socket.on('end', () => resolve({data}));
			socket.on('error', (error: NodeJS.ErrnoException) => resolve({code: error.code ?? error.message}));
		});
	} finally {
		await new Promise(resolve => server.close(resolve));
	}
}

describe('generateTls', () => {
	it('works with no openssl on PATH, and Node verifies the server against the CA alone', async () => {
		const dir = await tempDir();
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		await symlink(process.execPath, path.join(bin, 'node'));
		expect(await readdir(bin)).toEqual(['node']);
		const script = [
			`import {spawnSync} from 'node:child_process';`,
			`import {generateTls} from ${JSON.stringify(TLS_MODULE)};`,
			`const tls = await generateTls(process.env.TLS_TEST_DIR);`,
			`const openssl = spawnSync('openssl', ['version']).error?.code ?? 'ran';`,
			`process.stdout.write(JSON.stringify({tls, openssl}));`,
		].join('\n');
		const {stdout} = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			cwd: ROOT,
			env: {PATH: bin, HOME: dir, TLS_TEST_DIR: path.join(dir, 'state')},
			timeout: 20_000,
		});
		const {tls, openssl} = JSON.parse(stdout) as {tls: SandboxTls; openssl: string};
		expect(openssl).toBe('ENOENT');
		expect(tls.dir).toBe(path.join(dir, 'state', 'tls'));
		expect(tls.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

		expect(await handshake(tls, tls.caPem)).toEqual({data: 'hello'});
		expect(await handshake(tls, tls.caPem, 'localhost')).toEqual({data: 'hello'});
		// Real verification: a wrong name or another CA is refused.
		expect(await handshake(tls, tls.caPem, 'example.com')).toEqual({code: 'ERR_TLS_CERT_ALTNAME_INVALID'});
		const other = await generateTls(await tempDir());
		expect((await handshake(tls, other.caPem)).code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
	});

	it('makes certificates of the same shape as before (checked with node:crypto)', async () => {
		const dir = await tempDir();
		const tls = await generateTls(dir);
		const ca = new X509Certificate(tls.caPem);
		const cert = new X509Certificate(tls.certPem);

		expect(ca.subject).toBe('CN=runbook-sandbox-ca');
		expect(ca.ca).toBe(true);
		expect(ca.checkIssued(ca) && ca.verify(ca.publicKey)).toBe(true);
		expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
		expect((Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / DAY_MS).toBe(3650);

		expect(cert.subject).toBe('CN=127.0.0.1');
		expect(cert.issuer).toBe('CN=runbook-sandbox-ca');
		expect(cert.ca).toBe(false);
		expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
		expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
		expect(cert.checkIP('::1')).toBe('::1');
		expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // node:crypto's keyUsage is the extended one: serverAuth
		expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
		expect((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY_MS).toBe(825);
		expect(cert.serialNumber).not.toBe(ca.serialNumber);
		expect(cert.checkPrivateKey(createPrivateKey(tls.keyPem))).toBe(true);

		// What node:crypto does not expose: key usage bits, criticality, the signature algorithm, key identifiers.
		const caX = new x509.X509Certificate(tls.caPem);
		const certX = new x509.X509Certificate(tls.certPem);
		const caBasic = caX.getExtension(x509.BasicConstraintsExtension)!;
		expect([caBasic.ca, caBasic.critical]).toEqual([true, true]);
		const caUsage = caX.getExtension(x509.KeyUsagesExtension)!;
		expect([caUsage.usages, caUsage.critical]).toEqual([x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true]);
		const basic = certX.getExtension(x509.BasicConstraintsExtension)!;
		expect([basic.ca, basic.critical]).toEqual([false, true]);
		const usage = certX.getExtension(x509.KeyUsagesExtension)!;
		expect([usage.usages, usage.critical]).toEqual([x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true]);
		expect(certX.signatureAlgorithm).toMatchObject({name: 'ECDSA', hash: {name: 'SHA-256'}});
		expect(certX.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(caX.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
		expect(certX.getExtension(x509.SubjectKeyIdentifierExtension)).toBeTruthy();

		const tlsDir = path.join(dir, 'tls');
		expect((await stat(tlsDir)).mode & 0o777).toBe(0o700);
		for (const key of ['ca.key', 'server.key']) expect((await stat(path.join(tlsDir, key))).mode & 0o777).toBe(0o600);
		expect((await readdir(tlsDir)).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
	});

	it('returns the same certificates for the same directory and new ones for another', async () => {
		const dir = await tempDir();
		const first = await generateTls(dir);
		expect(await generateTls(dir)).toEqual(first);
		const [a, b] = await Promise.all([generateTls(path.join(dir, 'x')), generateTls(path.join(dir, 'x'))]);
		expect(a).toEqual(b);
		const other = await generateTls(await tempDir());
		expect(other.caPem).not.toBe(first.caPem);
		expect(other.certPem).not.toBe(first.certPem);
		expect(other.keyPem).not.toBe(first.keyPem);
	});

	it('regenerates what is corrupt, expired or not issued by the CA, keeping a CA that is still good', async () => {
		const dir = await tempDir();
		const tlsDir = path.join(dir, 'tls');
		const first = await generateTls(dir);

		await writeFile(path.join(tlsDir, 'server.crt'), 'not a certificate');
		const second = await generateTls(dir);
		expect(second.caPem).toBe(first.caPem);
		expect(second.certPem).not.toBe(first.certPem);
		expect(await handshake(second, second.caPem)).toEqual({data: 'hello'});

		// A valid serving certificate, but from another CA.
		const foreign = await generateTls(await tempDir());
		await writeFile(path.join(tlsDir, 'server.crt'), foreign.certPem);
		await writeFile(path.join(tlsDir, 'server.key'), foreign.keyPem);
		const third = await generateTls(dir);
		expect(third.caPem).toBe(first.caPem);
		expect(third.certPem).not.toBe(foreign.certPem);
		expect(new X509Certificate(third.certPem).checkIssued(new X509Certificate(first.caPem))).toBe(true);

		// A key that does not belong to the certificate.
		await writeFile(path.join(tlsDir, 'server.key'), foreign.keyPem);
		expect((await generateTls(dir)).keyPem).not.toBe(foreign.keyPem);

		await writeFile(path.join(tlsDir, 'ca.crt'), first.caPem.slice(0, 200));
		const fresh = await generateTls(dir);
		expect(fresh.caPem).not.toBe(first.caPem);
		expect(await generateTls(dir)).toEqual(fresh);
	});

	it('re-issues the serving certificate near its expiry and the CA near its own', async () => {
		const dir = await tempDir();
		const start = Date.now();
		const first = await generateTls(dir);
		vi.useFakeTimers({toFake: ['Date'], now: start + 800 * DAY_MS});
		expect(await generateTls(dir)).toEqual(first);
		vi.setSystemTime(start + 824.5 * DAY_MS); // less than a day left
		const renewed = await generateTls(dir);
		expect(renewed.caPem).toBe(first.caPem);
		expect(renewed.certPem).not.toBe(first.certPem);
		expect(Date.parse(new X509Certificate(renewed.certPem).validFrom)).toBeGreaterThan(start + 824 * DAY_MS);
		vi.setSystemTime(start + 3650 * DAY_MS);
		const late = await generateTls(dir);
		expect(late.caPem).not.toBe(first.caPem);
		expect(new X509Certificate(late.certPem).checkIssued(new X509Certificate(late.caPem))).toBe(true);
	});

	it('keeps the cluster CA across restarts on the same directory', async () => {
		const dir = await tempDir();
		const first = await startSandboxCluster({dir: path.join(dir, 'state'), speed: 10});
		cleanups.push(() => first.stop());
		await first.stop();
		const second = await startSandboxCluster({dir: path.join(dir, 'state'), speed: 10});
		cleanups.push(() => second.stop());
		expect(second.caPem).toBe(first.caPem);
		// A client that trusted the first run's CA verifies the second run.
		expect((await httpsRequest({...second, caPem: first.caPem}, '/version')).status).toBe(200);
	});

	itNeeds(['kubectl'])('real kubectl verifies the sandbox cluster', async () => {
		const t = await startTestCluster();
		cleanups.push(() => t.close());
		const version = await t.kubectl(['get', '--raw', '/version']);
		expect(version.exitCode, version.stderr).toBe(0);
		expect(JSON.parse(version.stdout)).toMatchObject({major: '1'});
		const byName = await t.kubectl(['--tls-server-name', 'localhost', 'get', 'namespaces']);
		expect(byName.exitCode, byName.stderr).toBe(0);
		const wrongName = await t.kubectl(['--tls-server-name', 'example.com', 'get', '--raw', '/version']);
		expect(wrongName.exitCode).not.toBe(0);
		expect(wrongName.stderr).toMatch(/x509: certificate is valid for .*localhost, not example\.com/);
	});
});
