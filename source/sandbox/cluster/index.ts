// startSandboxCluster: a local, self-contained Kubernetes API server for the runbook's kubectl
// steps, with a simulated control plane and fault injection.
import {mkdir} from 'node:fs/promises';
import {createServer, type Server} from 'node:https';
import {AccessLog} from './access-log.js';
import {type Churn, type ChurnOptions, startChurn} from './churn.js';
import {ControllerManager} from './controller-manager.js';
import {EventRecorder} from './events.js';
import {Faults} from './faults.js';
import {listen} from './http-util.js';
import {writeKubeconfig} from './kubeconfig.js';
import {isScenario, type ScenarioName, TIMINGS} from './scenarios.js';
import {seedWorld} from './seed.js';
import {keepWorld, restoreWorld, savedWorld, serverIdentity} from './saved-world.js';
import {createRouter, type RouterDeps, upgradeHandler} from './server.js';
import {claimServiceIpBlock, type ServiceIpBlock} from './service-ips.js';
import {ServiceProxy} from './service-proxy.js';
import {ObjectStore} from './store.js';
import {generateTls} from './tls.js';
import {WatchHub} from './watch.js';

export type {ScenarioName} from './scenarios.js';
export type {FaultRequest, FaultState} from './faults.js';
export {ObjectStore} from './store.js';

export interface SandboxOptions {
	/** 0 picks a free port; by default the port this directory's sandbox had last (a free one if that is taken). */
	port?: number;
	/**
	 * The world is kept in `dir` (world.json) and a start there brings it back when it was playing the same scenario
	 * for the same owner (a rehearsal's session id; default none); `fresh` starts from the seed whatever was saved.
	 */
	owner?: string | null;
	fresh?: boolean;
	scenario?: ScenarioName;
	/** Where TLS material and the kubeconfig are written. */
	dir: string;
	/** Simulation speed-up: 10 makes rollouts, back-offs and deadlines ten times faster. */
	speed?: number;
	/** Writes kept for watch resumption (default 20,000). */
	historyLimit?: number;
	/** Period of BOOKMARK events on watches that allow them (default 15 s / speed). */
	bookmarkIntervalMs?: number;
}

export interface SandboxCluster {
	url: string;
	port: number;
	kubeconfigPath: string;
	caPem: string;
	scenario: ScenarioName;
	/** The bearer token (kept per state directory, like the CA). */
	token: string;
	/** Whether the saved world came back (else the scenario's seed was planted). */
	restored: boolean;
	store: ObjectStore;
	faults: Faults;
	controllers: ControllerManager;
	/** The loopback block Services get their ClusterIPs and load-balancer IPs from (`127.R1.R2.0/24`). */
	serviceCidr: string;
	/** What answers at those addresses: `services.listening()`, `services.problems()`. */
	services: ServiceProxy;
	/** Creates pods and updates them at a rate, for load tests. */
	churn(options: ChurnOptions): Churn;
	stop(): Promise<void>;
}

function apiServer(tls: {keyPem: string; certPem: string}, deps: RouterDeps): Server {
	const server: Server = createServer({key: tls.keyPem, cert: tls.certPem}, createRouter(deps));
	server.on('upgrade', upgradeHandler(deps));
	// Watches and log follows are long-lived; Node's request timeout must not cut them.
	server.requestTimeout = 0;
	server.keepAliveTimeout = 30_000;
	return server;
}

/** The port asked for, else the last one if still free, else any. */
async function listenOn(server: Server, port: number | undefined, lastPort: number | undefined): Promise<number> {
	if (port !== undefined || lastPort === undefined) return listen(server, port ?? 0);
	try {
		return await listen(server, lastPort);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
		return listen(server, 0);
	}
}

/** Listens for the API, then at the seeded Services' addresses; on failure nothing is left bound. */
async function listenAll(server: Server, port: {asked?: number; last?: number}, services: ServiceProxy, serviceIps: ServiceIpBlock): Promise<number> {
	try {
		const bound = await listenOn(server, port.asked, port.last);
		await services.start();
		return bound;
	} catch (error) {
		await services.stop();
		await serviceIps.release();
		server.close();
		throw error;
	}
}

/** The world saved in `dir` when it is this scenario's for this owner, else the seeded one; kept as it changes from now on. */
function openWorld(options: SandboxOptions, scenario: ScenarioName, speed: number, serviceIps: ServiceIpBlock) {
	const store = new ObjectStore(options.historyLimit);
	const events = new EventRecorder(store);
	const controllers = new ControllerManager(store, events, scenario, speed);
	const info = {scenario, owner: options.owner ?? null, serviceCidr: serviceIps.cidr};
	const saved = options.fresh ? undefined : savedWorld(options.dir, info);
	if (saved) restoreWorld(saved, {store, events, kubelet: controllers.kubelet});
	else seedWorld(store, events, controllers.kubelet, {serviceIps});
	controllers.syncEndpoints();
	const kept = keepWorld(options.dir, info, {store, kubelet: controllers.kubelet});
	return {store, controllers, restored: saved !== undefined, kept};
}

export async function startSandboxCluster(options: SandboxOptions): Promise<SandboxCluster> {
	const scenario = options.scenario ?? 'default';
	if (!isScenario(scenario)) throw new Error(`unknown sandbox scenario: ${String(scenario)}`);
	const speed = options.speed ?? 1;
	if (!(speed > 0)) throw new Error('speed must be positive');
	await mkdir(options.dir, {recursive: true, mode: 0o700});
	const tls = await generateTls(options.dir);
	const identity = serverIdentity(options.dir);
	const {token} = identity;
	const serviceIps = await claimServiceIpBlock(options.dir);
	const accessLog = new AccessLog();
	const {store, controllers, restored, kept} = openWorld(options, scenario, speed, serviceIps);
	const services = new ServiceProxy({store, block: serviceIps, scenario, speed, accessLog});
	const watches = new WatchHub(store, options.bookmarkIntervalMs ?? TIMINGS.bookmarkInterval / speed);
	const faults = new Faults(watches, store);

	let address = '127.0.0.1:0';
	const server = apiServer(tls, {store, watches, faults, token, scenario, speed, serverAddress: () => address, serviceIps, accessLog});
	const port = await listenAll(server, {asked: options.port, last: identity.lastPort}, services, serviceIps)
		.catch((error: unknown) => kept.stop().then(() => Promise.reject(error)));
	address = `127.0.0.1:${port}`;
	const url = `https://127.0.0.1:${port}`;
	await identity.save(port);
	const kubeconfigPath = await writeKubeconfig(options.dir, url, tls.caPem, token);
	controllers.start();

	let stopped: Promise<void> | undefined;
	const churns: Churn[] = [];
	return {
		url,
		port,
		kubeconfigPath,
		caPem: tls.caPem,
		scenario,
		token,
		restored,
		store,
		faults,
		controllers,
		serviceCidr: serviceIps.cidr,
		services,
		churn(churnOptions) {
			const c = startChurn(store, churnOptions);
			churns.push(c);
			return c;
		},
		stop() {
			stopped ??= Promise.all([
				new Promise<void>(resolve => {
					controllers.stop();
					for (const c of churns) c.stop();
					watches.dropAll('close');
					server.close(() => resolve());
					server.closeAllConnections();
				}),
				services.stop().then(() => serviceIps.release()),
			]).then(() => kept.stop());
			return stopped;
		},
	};
}
