// The sandbox's kube-proxy: every Service with a serving endpoint is listened for at its ClusterIP and
// load-balancer IP (in the sandbox's 127.R1.R2.0/24) on each of its TCP ports, and each connection goes to one of
// the ready pods its Endpoints list, chosen at random as kube-proxy's rules do; that pod's app (apps.ts) answers.
// With no ready endpoint the address is not listened on, so a client gets "connection refused", as from a real
// Service with no endpoints. Also plays the cloud's load-balancer controller: a LoadBalancer gets an ingress IP.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {Duplex} from 'node:stream';
import type {AccessLog} from './access-log.js';
import {type AppContext, imageVersion} from './app-kit.js';
import {newAppSecret} from './app-overlord.js';
import {appFor} from './apps.js';
import {behaviourFor, type ScenarioName} from './scenarios.js';
import {assignLoadBalancerIps, type ServiceIpBlock, serviceAddresses} from './service-ips.js';
import type {ObjectStore} from './store.js';
import type {KubeObject, StoreEvent} from './types.js';

export interface ServiceProxyOptions {
	store: ObjectStore;
	block: ServiceIpBlock;
	scenario: ScenarioName;
	speed: number;
	accessLog: AccessLog;
}

interface Frontend {
	key: string;
	ip: string;
	port: number;
	namespace: string;
	service: string;
	server: Server;
	sockets: Set<Duplex>;
	/** Settles once listening (or failing to): closing waits for it, so a listen never outlives its close. */
	listening: Promise<boolean>;
}

interface Backend {
	pod: KubeObject;
	targetPort: number;
}

/** The pod's main container is running and it is not being deleted: its app is there to answer. */
function running(pod: KubeObject | undefined): pod is KubeObject {
	return Boolean(pod && !pod.metadata.deletionTimestamp && pod.status?.containerStatuses?.[0]?.state?.running);
}

function resolveTargetPort(pod: KubeObject, target: unknown): number | undefined {
	if (typeof target === 'number') return target;
	if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
	for (const c of pod.spec?.containers ?? []) {
		const port = (c.ports ?? []).find((p: any) => p.name === target);
		if (port) return port.containerPort;
	}
	return undefined;
}

const RETRY_MS = 1000;

export class ServiceProxy {
	private readonly frontends = new Map<string, Frontend>();
	/** Addresses that could not be listened on: why, and when to try again. */
	private readonly failures = new Map<string, {error: string; retryAt: number}>();
	private readonly closing = new Set<Promise<void>>();
	private readonly bindings = new WeakMap<Socket, Backend>();
	/** Open connections by the uid of the pod they are tied to. */
	private readonly byPod = new Map<string, Set<Socket>>();
	private readonly secret = newAppSecret();
	private readonly shared = new Map<string, unknown>();
	private unsubscribe?: () => void;
	private scheduled?: NodeJS.Immediate;
	private retryTimer?: NodeJS.Timeout;
	private stopped = false;

	constructor(private readonly options: ServiceProxyOptions) {}

	async start(): Promise<void> {
		this.unsubscribe = this.options.store.subscribe(event => this.observe(event));
		await this.reconcile();
	}

	/** The addresses served now, `ip:port`. */
	listening(): string[] {
		return [...this.frontends.keys()].sort();
	}

	/** Addresses that could not be listened on and why (another program holds them; 127.x.y.z is not local here). */
	problems(): Array<{address: string; error: string}> {
		return [...this.failures].map(([address, f]) => ({address, error: f.error}));
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.unsubscribe?.();
		if (this.scheduled) clearImmediate(this.scheduled);
		clearTimeout(this.retryTimer);
		for (const f of [...this.frontends.values()]) this.close(f);
		await Promise.all(this.closing);
	}

	private observe(event: StoreEvent): void {
		if (event.resource === 'pods') this.podChanged(event);
		if (event.resource === 'services' || event.resource === 'endpoints') this.schedule();
	}

	/**
	 * A pod told to stop (or whose container stopped) closes its connections, as uvicorn does on SIGTERM, so a
	 * keep-alive client opens a new one, to another pod, instead of writing into a dead one.
	 */
	private podChanged(event: StoreEvent): void {
		const pod = event.object;
		const uid = pod.metadata.uid!;
		if (event.type === 'DELETED') this.options.accessLog.forget(uid);
		if (event.type !== 'DELETED' && running(pod)) return;
		for (const socket of this.byPod.get(uid) ?? []) socket.end();
		this.byPod.delete(uid);
	}

	private schedule(): void {
		if (this.scheduled || this.stopped) return;
		this.scheduled = setImmediate(() => {
			this.scheduled = undefined;
			void this.reconcile();
		});
	}

	/** Opens what should be listened on and closes the rest; resolves once the new listeners listen. */
	async reconcile(): Promise<void> {
		if (this.stopped) return;
		try {
			assignLoadBalancerIps(this.options.store, this.options.block);
		} catch (error) {
			// The block is full: the Service stays <pending>, as with a cloud out of addresses.
			process.emitWarning(`sandbox: ${String(error)}`);
		}
		const desired = this.desired();
		for (const f of [...this.frontends.values()]) if (!desired.has(f.key)) this.close(f);
		for (const key of this.failures.keys()) if (!desired.has(key)) this.failures.delete(key);
		const opening: Array<Promise<boolean>> = [];
		for (const [key, want] of desired) {
			if (this.frontends.has(key) || (this.failures.get(key)?.retryAt ?? 0) > Date.now()) continue;
			opening.push(this.open(key, want));
		}
		await Promise.all(opening);
	}

	/** Every `ip:port` a Service with a serving endpoint should answer on. */
	private desired(): Map<string, {ip: string; port: number; namespace: string; service: string}> {
		const out = new Map<string, {ip: string; port: number; namespace: string; service: string}>();
		for (const svc of this.options.store.list('services')) {
			const addresses = serviceAddresses(svc).filter(ip => this.options.block.contains(ip));
			if (addresses.length === 0 || this.backends(svc).length === 0) continue;
			for (const p of svc.spec?.ports ?? []) {
				if ((p.protocol ?? 'TCP') !== 'TCP' || typeof p.port !== 'number') continue;
				for (const ip of addresses) {
					out.set(`${ip}:${p.port}`, {ip, port: p.port, namespace: svc.metadata.namespace!, service: svc.metadata.name});
				}
			}
		}
		return out;
	}

	/** The pods a connection to the Service may reach: its ready endpoints (and unready ones if it publishes them). */
	private backends(svc: KubeObject): KubeObject[] {
		const {store, scenario} = this.options;
		const ep = store.get('endpoints', svc.metadata.namespace, svc.metadata.name);
		const addresses = ((ep as any)?.subsets ?? []).flatMap((s: any) => [
			...(s.addresses ?? []),
			...(svc.spec?.publishNotReadyAddresses ? s.notReadyAddresses ?? [] : []),
		]);
		const pods: KubeObject[] = [];
		for (const a of addresses) {
			const ref = a?.targetRef;
			if (ref?.kind !== 'Pod') continue;
			const pod = store.get('pods', ref.namespace ?? svc.metadata.namespace, ref.name);
			// A crash-looping container never gets as far as listening.
			if (running(pod) && pod.metadata.uid === ref.uid && behaviourFor(scenario, pod.spec.containers[0].image ?? '') !== 'crash-loop') pods.push(pod);
		}
		return pods;
	}

	private pick(f: Frontend): Backend | undefined {
		const svc = this.options.store.get('services', f.namespace, f.service);
		const servicePort = (svc?.spec?.ports ?? []).find((p: any) => p.port === f.port);
		if (!svc || !servicePort) return undefined;
		const candidates = this.backends(svc)
			.map(pod => ({pod, targetPort: resolveTargetPort(pod, servicePort.targetPort ?? servicePort.port)}))
			.filter((b): b is Backend => b.targetPort !== undefined);
		return candidates[Math.floor(Math.random() * candidates.length)];
	}

	private open(key: string, want: {ip: string; port: number; namespace: string; service: string}): Promise<boolean> {
		const server = createServer();
		const f: Frontend = {key, ...want, server, sockets: new Set(), listening: Promise.resolve(false)};
		server.on('connection', socket => this.accept(f, socket));
		server.on('request', (req, res) => this.request(req, res));
		server.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
		f.listening = new Promise<boolean>(resolve => {
			server.once('error', (error: NodeJS.ErrnoException) => {
				// EADDRNOTAVAIL: this system has only 127.0.0.1 on loopback; trying again will not help.
				const retryAt = error.code === 'EADDRNOTAVAIL' ? Infinity : Date.now() + RETRY_MS;
				this.failures.set(key, {error: `${error.code ?? 'error'}: ${error.message}`, retryAt});
				if (this.frontends.get(key) === f) this.frontends.delete(key);
				this.retryLater();
				resolve(false);
			});
			server.listen(want.port, want.ip, () => {
				this.failures.delete(key);
				resolve(true);
			});
		});
		this.frontends.set(key, f);
		return f.listening;
	}

	private retryLater(): void {
		if (this.retryTimer || this.stopped) return;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = undefined;
			this.schedule();
		}, RETRY_MS);
		this.retryTimer.unref();
	}

	private close(f: Frontend): void {
		if (this.frontends.get(f.key) === f) this.frontends.delete(f.key);
		const done = f.listening.then(
			listened =>
				new Promise<void>(resolve => {
					for (const s of f.sockets) s.destroy();
					if (listened) f.server.close(() => resolve());
					else resolve();
				}),
		);
		this.closing.add(done);
		void done.then(() => this.closing.delete(done));
	}

	/** Like conntrack: a connection is tied to one pod from its first packet; none ready, and it is reset. */
	private accept(f: Frontend, socket: Socket): void {
		const backend = this.pick(f);
		if (!backend) {
			socket.resetAndDestroy();
			return;
		}
		this.bindings.set(socket, backend);
		f.sockets.add(socket);
		const uid = backend.pod.metadata.uid!;
		let tied = this.byPod.get(uid);
		if (!tied) this.byPod.set(uid, (tied = new Set()));
		tied.add(socket);
		socket.on('close', () => {
			f.sockets.delete(socket);
			const set = this.byPod.get(uid);
			set?.delete(socket);
			if (set?.size === 0) this.byPod.delete(uid);
		});
	}

	private context(backend: Backend, socket: Socket): AppContext | undefined {
		const {store, scenario, speed, accessLog} = this.options;
		const {pod} = backend;
		const alive = () => {
			const current = store.get('pods', pod.metadata.namespace, pod.metadata.name);
			return running(current) && current.metadata.uid === pod.metadata.uid;
		};
		if (!alive()) return undefined;
		const image: string = pod.spec.containers[0].image ?? '';
		const env = (pod.spec.containers[0].env ?? []).find((e: any) => e.name === 'ENVIRONMENT')?.value;
		return {
			pod, alive, speed,
			version: imageVersion(image),
			behaviour: behaviourFor(scenario, image),
			environment: env ?? pod.metadata.namespace ?? 'default',
			// The node masquerades Service traffic, so the pod sees the node's bridge address.
			peer: `10.244.0.1:${socket.remotePort ?? 0}`,
			shared: this.shared,
			secret: this.secret,
			log: line => accessLog.record(pod.metadata.uid!, line),
		};
	}

	private request(req: IncomingMessage, res: ServerResponse): void {
		const backend = this.bindings.get(req.socket);
		const ctx = backend && this.context(backend, req.socket);
		// The pod this connection was tied to is gone: the connection breaks, as it would.
		if (!backend || !ctx) {
			req.socket.destroy();
			return;
		}
		const app = appFor(ctx.pod.spec.containers[0].image ?? '');
		res.on('finish', () => ctx.log(app.accessLine(req, res.statusCode, ctx)));
		Promise.resolve(app.handle(req, res, ctx)).catch(() => res.destroy());
	}

	private upgrade(req: IncomingMessage, socket: Duplex): void {
		const backend = this.bindings.get(req.socket);
		const ctx = backend && this.context(backend, req.socket);
		if (!backend || !ctx) {
			socket.destroy();
			return;
		}
		const app = appFor(ctx.pod.spec.containers[0].image ?? '');
		if (app.upgrade) return app.upgrade(req, socket, ctx);
		socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
	}
}
