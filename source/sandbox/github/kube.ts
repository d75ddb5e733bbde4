// What the deploy jobs do to the sandbox cluster: `kubectl set image` and `kubectl rollout status`,
// done over the Kubernetes API with the cluster's kubeconfig (its CA, its bearer token), so the
// GitHub sandbox can drive a cluster in this process or in another one.
import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';
import {readFile} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {parse as parseYaml} from 'yaml';

export interface KubeTarget {
	server: string;
	caPem?: string;
	token?: string;
}

interface KubeconfigFile {
	'current-context'?: string;
	contexts?: Array<{name: string; context?: {cluster?: string; user?: string}}>;
	clusters?: Array<{name: string; cluster?: {server?: string; 'certificate-authority-data'?: string}}>;
	users?: Array<{name: string; user?: {token?: string}}>;
}

export async function loadKubeTarget(kubeconfigPath: string): Promise<KubeTarget> {
	const config = parseYaml(await readFile(kubeconfigPath, 'utf8')) as KubeconfigFile;
	const context = config.contexts?.find(c => c.name === config['current-context'])?.context;
	const cluster = config.clusters?.find(c => c.name === context?.cluster)?.cluster;
	const user = config.users?.find(u => u.name === context?.user)?.user;
	if (!cluster?.server) throw new Error(`kubeconfig ${kubeconfigPath} has no server for its current context`);
	const caData = cluster['certificate-authority-data'];
	return {
		server: cluster.server,
		caPem: caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined,
		token: user?.token,
	};
}

async function call(target: KubeTarget, method: string, path: string, body: unknown, contentType: string, signal: AbortSignal): Promise<{status: number; json: any}> {
	const url = new URL(path, target.server);
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	const text = body === undefined ? undefined : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = send(url, {
			method,
			ca: target.caPem,
			signal,
			timeout: 10_000,
			headers: {
				accept: 'application/json',
				...(target.token ? {authorization: `Bearer ${target.token}`} : {}),
				...(text ? {'content-type': contentType, 'content-length': Buffer.byteLength(text)} : {}),
			},
		}, res => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				let json: any = raw;
				try {
					json = JSON.parse(raw);
				} catch {}
				resolve({status: res.statusCode ?? 0, json});
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error('cluster request timed out')));
		req.on('error', reject);
		req.end(text);
	});
}

const deploymentPath = (namespace: string, name: string) => `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;

/** `kubectl set image deployment/<name> <container>=<image>`: a strategic merge patch of the pod template. */
export async function setImage(target: KubeTarget, namespace: string, name: string, container: string, image: string, signal: AbortSignal): Promise<void> {
	const patch = {spec: {template: {spec: {containers: [{name: container, image}]}}}};
	const res = await call(target, 'PATCH', deploymentPath(namespace, name), patch, 'application/strategic-merge-patch+json', signal);
	if (res.status !== 200) throw new Error(`patching deployment ${name}: ${res.status} ${res.json?.message ?? ''}`.trim());
}

/** kubectl's DeploymentStatusViewer: one message per state, `done` once rolled out, `failed` on the deadline. */
export function rolloutStatus(d: any): {message: string; done: boolean; failed: boolean} {
	const name = d?.metadata?.name ?? 'deployment';
	const status = d?.status ?? {};
	const replicas = d?.spec?.replicas ?? 1;
	if ((d?.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
		return {message: 'Waiting for deployment spec update to be observed...', done: false, failed: false};
	}
	const progressing = (status.conditions ?? []).find((c: any) => c.type === 'Progressing');
	if (progressing?.reason === 'ProgressDeadlineExceeded') {
		return {message: `error: deployment "${name}" exceeded its progress deadline`, done: false, failed: true};
	}
	const updated = status.updatedReplicas ?? 0;
	const total = status.replicas ?? 0;
	const available = status.availableReplicas ?? 0;
	if (updated < replicas) return {message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false, failed: false};
	if (total > updated) return {message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`, done: false, failed: false};
	if (available < updated) return {message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, done: false, failed: false};
	return {message: `deployment "${name}" successfully rolled out`, done: true, failed: false};
}

/** `kubectl rollout status`: polls until rolled out, past the progress deadline, or `timeoutMs`. */
export async function followRollout(
	target: KubeTarget, namespace: string, name: string,
	options: {signal: AbortSignal; intervalMs: number; timeoutMs: number; onMessage: (line: string) => void},
): Promise<boolean> {
	const deadline = Date.now() + options.timeoutMs;
	let last = '';
	for (;;) {
		const res = await call(target, 'GET', deploymentPath(namespace, name), undefined, '', options.signal);
		if (res.status !== 200) throw new Error(`reading deployment ${name}: ${res.status} ${res.json?.message ?? ''}`.trim());
		const state = rolloutStatus(res.json);
		if (state.message !== last) options.onMessage(state.message);
		last = state.message;
		if (state.done) return true;
		if (state.failed) return false;
		if (Date.now() > deadline) {
			options.onMessage('error: timed out waiting for the condition');
			return false;
		}
		await sleep(options.intervalMs, undefined, {signal: options.signal});
	}
}
