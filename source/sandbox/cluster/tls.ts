// A CA and a serving certificate for 127.0.0.1/localhost, made in-process with @peculiar/x509 on Node's WebCrypto
// (no openssl binary needed), so kubectl and client-node verify the sandbox like a real cluster (no insecure flags
// anywhere). Kept stable per directory: a restart on the same state directory presents the same CA.
// tsyringe, which @peculiar/x509 uses internally, needs a Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {createPrivateKey, KeyObject, randomBytes, webcrypto, X509Certificate, type webcrypto as WebCrypto} from 'node:crypto';
import {chmod, mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto); // Node's typings of WebCrypto differ slightly from the DOM ones the library declares

export interface SandboxTls {
	caPem: string;
	certPem: string;
	keyPem: string;
	dir: string;
}

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
const SERVER_DAYS = 825;
const CA_NAME = 'CN=runbook-sandbox-ca';
const SERVER_NAME = 'CN=127.0.0.1';
const EC_P256 = {name: 'ECDSA', namedCurve: 'P-256'} as const;
const ECDSA_SHA256 = {name: 'ECDSA', hash: 'SHA-256'} as const;
const FILES = {caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key'} as const;

type Pair = {certPem: string; keyPem: string};

// Calls for one directory run one after another, so two starts in one process never interleave their writes.
const queues = new Map<string, Promise<unknown>>();

/** The TLS material in `<dir>/tls`: reused while valid (a day or more left), otherwise made afresh and written there. */
export function generateTls(dir: string): Promise<SandboxTls> {
	const tlsDir = path.join(dir, 'tls');
	const key = path.resolve(tlsDir);
	const next = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => loadOrCreate(tlsDir));
	queues.set(key, next);
	void next.catch(() => undefined).finally(() => {
		if (queues.get(key) === next) queues.delete(key);
	});
	return next;
}

async function loadOrCreate(tlsDir: string): Promise<SandboxTls> {
	await mkdir(tlsDir, {recursive: true, mode: 0o700});
	await chmod(tlsDir, 0o700);
	const [caCertPem, caKeyPem, certPem, keyPem] = await Promise.all(
		[FILES.caCert, FILES.caKey, FILES.cert, FILES.key].map(f => readFile(path.join(tlsDir, f), 'utf8').catch(() => undefined)),
	);
	const now = Date.now();
	let ca: Pair | undefined = caCertPem && caKeyPem && validCa({certPem: caCertPem, keyPem: caKeyPem}, now) ? {certPem: caCertPem, keyPem: caKeyPem} : undefined;
	if (ca && certPem && keyPem && validServer({certPem, keyPem}, ca.certPem, now)) {
		return {caPem: ca.certPem, certPem, keyPem, dir: tlsDir};
	}
	// A valid CA is kept and only the serving certificate re-issued, so clients that trust the CA keep working.
	const fresh = !ca;
	ca ??= await createCa(now);
	const server = await createServer(ca, now);
	if (fresh) {
		await writeAtomically(tlsDir, FILES.caKey, ca.keyPem, 0o600);
		await writeAtomically(tlsDir, FILES.caCert, ca.certPem, 0o644);
	}
	await writeAtomically(tlsDir, FILES.key, server.keyPem, 0o600);
	await writeAtomically(tlsDir, FILES.cert, server.certPem, 0o644);
	// Left behind by the openssl-based version.
	await Promise.all(['server.csr', 'server.ext'].map(f => rm(path.join(tlsDir, f), {force: true})));
	return {caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem, dir: tlsDir};
}

async function writeAtomically(dir: string, name: string, contents: string, mode: number): Promise<void> {
	const target = path.join(dir, name);
	const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	try {
		await writeFile(temp, contents, {mode});
		await rename(temp, target);
	} catch (error) {
		await rm(temp, {force: true});
		throw error;
	}
}

// ---- checks on what is already there (node:crypto parses; anything odd means "make new ones") ----

function parse({certPem, keyPem}: Pair): {cert: X509Certificate; key: KeyObject} | undefined {
	try {
		const cert = new X509Certificate(certPem);
		const key = createPrivateKey(keyPem);
		if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return undefined;
		if (!cert.checkPrivateKey(key)) return undefined;
		return {cert, key};
	} catch {
		return undefined;
	}
}

/** In force now, with at least a day left. */
function current(cert: X509Certificate, now: number): boolean {
	const from = Date.parse(cert.validFrom);
	const to = Date.parse(cert.validTo);
	return from <= now && to - now >= DAY_MS;
}

function validCa(pair: Pair, now: number): boolean {
	const parsed = parse(pair);
	if (!parsed) return false;
	const {cert} = parsed;
	try {
		return cert.ca && cert.subject === CA_NAME && current(cert, now) && cert.checkIssued(cert) && cert.verify(cert.publicKey);
	} catch {
		return false;
	}
}

function validServer(pair: Pair, caPem: string, now: number): boolean {
	const parsed = parse(pair);
	if (!parsed) return false;
	const {cert} = parsed;
	try {
		const ca = new X509Certificate(caPem);
		return (
			!cert.ca &&
			current(cert, now) &&
			cert.checkIssued(ca) &&
			cert.verify(ca.publicKey) &&
			cert.checkIP('127.0.0.1') !== undefined &&
			cert.checkIP('::1') !== undefined &&
			cert.checkHost('localhost', {subject: 'never'}) !== undefined
		);
	} catch {
		return false;
	}
}

// ---- making new ones ----

async function newKeys(): Promise<WebCrypto.CryptoKeyPair> {
	return webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
}

const pkcs8Pem = (key: WebCrypto.CryptoKey) => KeyObject.from(key).export({type: 'pkcs8', format: 'pem'}) as string;
const certToPem = (cert: x509.X509Certificate) => new X509Certificate(Buffer.from(cert.rawData)).toString();

async function createCa(now: number): Promise<Pair> {
	const keys = await newKeys();
	const cert = await x509.X509CertificateGenerator.createSelfSigned({
		// No serialNumber: the library picks 16 random bytes (a positive integer).
		name: CA_NAME,
		notBefore: new Date(now),
		notAfter: new Date(now + CA_DAYS * DAY_MS),
		signingAlgorithm: ECDSA_SHA256,
		keys,
		extensions: [
			new x509.BasicConstraintsExtension(true, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
			await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
		],
	});
	return {certPem: certToPem(cert), keyPem: pkcs8Pem(keys.privateKey)};
}

async function createServer(ca: Pair, now: number): Promise<Pair> {
	const caCert = new x509.X509Certificate(ca.certPem);
	const caKey = await webcrypto.subtle.importKey(
		'pkcs8',
		createPrivateKey(ca.keyPem).export({type: 'pkcs8', format: 'der'}),
		EC_P256,
		false,
		['sign'],
	);
	const caKeyId = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
	const keys = await newKeys();
	const cert = await x509.X509CertificateGenerator.create({
		subject: SERVER_NAME,
		// The CA's own encoded name, so the issuer matches its subject byte for byte.
		issuer: caCert.subjectName,
		notBefore: new Date(now),
		notAfter: new Date(now + SERVER_DAYS * DAY_MS),
		signingAlgorithm: ECDSA_SHA256,
		publicKey: keys.publicKey,
		signingKey: caKey,
		extensions: [
			new x509.BasicConstraintsExtension(false, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
			new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
			new x509.SubjectAlternativeNameExtension([
				{type: 'ip', value: '127.0.0.1'},
				{type: 'ip', value: '::1'},
				{type: 'dns', value: 'localhost'},
			]),
			await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
			caKeyId ? new x509.AuthorityKeyIdentifierExtension(caKeyId) : await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
		],
	});
	return {certPem: certToPem(cert), keyPem: pkcs8Pem(keys.privateKey)};
}
