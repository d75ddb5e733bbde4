// startSandboxCluster: a local, self-contained Kubernetes API server for the runbook's kubectl
// steps, with a simulated control plane and fault injection.
import {randomBytes} from 'node:crypto';
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
	/** 0 (default) picks a free port. */
	port?: number;
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

/** Listens for the API, then at the seeded Services' addresses; on failure nothing is left bound. */
async function listenAll(server: Server, port: number, services: ServiceProxy, serviceIps: ServiceIpBlock): Promise<number> {
	try {
		const bound = await listen(server, port);
		await services.start();
		return bound;
	} catch (error) {
		await services.stop();
		await serviceIps.release();
		server.close();
		throw error;
	}
}

export async function startSandboxCluster(options: SandboxOptions): Promise<SandboxCluster> {
	const scenario = options.scenario ?? 'default';
	if (!isScenario(scenario)) throw new Error(`unknown sandbox scenario: ${String(scenario)}`);
	const speed = options.speed ?? 1;
	if (!(speed > 0)) throw new Error('speed must be positive');
	await mkdir(options.dir, {recursive: true, mode: 0o700});
	const tls = await generateTls(options.dir);
	const token = randomBytes(24).toString('base64url');
	const serviceIps = await claimServiceIpBlock(options.dir);
	const accessLog = new AccessLog();

	const store = new ObjectStore(options.historyLimit);
	const events = new EventRecorder(store);
	const controllers = new ControllerManager(store, events, scenario, speed);
	seedWorld(store, events, controllers.kubelet, {serviceIps});
	controllers.syncEndpoints();
	const services = new ServiceProxy({store, block: serviceIps, scenario, speed, accessLog});
	const watches = new WatchHub(store, options.bookmarkIntervalMs ?? TIMINGS.bookmarkInterval / speed);
	const faults = new Faults(watches, store);

	let address = '127.0.0.1:0';
	const server = apiServer(tls, {store, watches, faults, token, scenario, speed, serverAddress: () => address, serviceIps, accessLog});
	const port = await listenAll(server, options.port ?? 0, services, serviceIps);
	address = `127.0.0.1:${port}`;
	const url = `https://127.0.0.1:${port}`;
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
			]).then(() => undefined);
			return stopped;
		},
	};
}
