// Writes a kubeconfig that kubectl and client-node accept as-is: the CA is embedded as
// certificate-authority-data and the user authenticates with a bearer token.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';

export const SANDBOX_CONTEXT = 'sandbox';
export const SANDBOX_NAMESPACE = 'overlord-production';

export async function writeKubeconfig(dir: string, url: string, caPem: string, token: string): Promise<string> {
	const file = path.join(dir, 'kubeconfig');
	const ca = Buffer.from(caPem).toString('base64');
	// JSON is valid YAML, and avoids quoting pitfalls in the token or paths.
	const config = {
		apiVersion: 'v1',
		kind: 'Config',
		preferences: {},
		clusters: [{name: 'sandbox', cluster: {server: url, 'certificate-authority-data': ca}}],
		users: [{name: 'sandbox-operator', user: {token}}],
		contexts: [
			{name: SANDBOX_CONTEXT, context: {cluster: 'sandbox', user: 'sandbox-operator', namespace: SANDBOX_NAMESPACE}},
		],
		'current-context': SANDBOX_CONTEXT,
	};
	await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600});
	return file;
}
