// startSandboxCluster: a local, self-contained Kubernetes API server for the runbook's kubectl
// steps, with a simulated control plane and fault injection.
import {randomBytes} from 'node:crypto';
import {mkdir} from 'node:fs/promises';
import {createServer, type Server} from 'node:https';
import {type Churn, type ChurnOptions, startChurn} from './churn.js';
import {ControllerManager} from './controller-manager.js';
import {EventRecorder} from './events.js';
import {Faults} from './faults.js';
import {listen} from './http-util.js';
import {writeKubeconfig} from './kubeconfig.js';
import {isScenario, type ScenarioName, TIMINGS} from './scenarios.js';
import {seedWorld} from './seed.js';
import {createRouter, upgradeHandler} from './server.js';
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
	/** Creates pods and updates them at a rate, for load tests. */
	churn(options: ChurnOptions): Churn;
	stop(): Promise<void>;
}

export async function startSandboxCluster(options: SandboxOptions): Promise<SandboxCluster> {
	const scenario = options.scenario ?? 'default';
	if (!isScenario(scenario)) throw new Error(`unknown sandbox scenario: ${String(scenario)}`);
	const speed = options.speed ?? 1;
	if (!(speed > 0)) throw new Error('speed must be positive');
	await mkdir(options.dir, {recursive: true, mode: 0o700});
	const tls = await generateTls(options.dir);
	const token = randomBytes(24).toString('base64url');

	const store = new ObjectStore(options.historyLimit);
	const events = new EventRecorder(store);
	const controllers = new ControllerManager(store, events, scenario, speed);
	seedWorld(store, events, controllers.kubelet);
	const watches = new WatchHub(store, options.bookmarkIntervalMs ?? TIMINGS.bookmarkInterval / speed);
	const faults = new Faults(watches, store);

	let address = '127.0.0.1:0';
	const server: Server = createServer({key: tls.keyPem, cert: tls.certPem}, createRouter({
		store, watches, faults, token, scenario, speed, serverAddress: () => address,
	}));
	server.on('upgrade', upgradeHandler({store, faults, token}));
	// Watches and log follows are long-lived; Node's request timeout must not cut them.
	server.requestTimeout = 0;
	server.keepAliveTimeout = 30_000;
	const port = await listen(server, options.port ?? 0);
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
		churn(churnOptions) {
			const c = startChurn(store, churnOptions);
			churns.push(c);
			return c;
		},
		stop() {
			stopped ??= new Promise<void>(resolve => {
				controllers.stop();
				for (const c of churns) c.stop();
				watches.dropAll('close');
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return stopped;
		},
	};
}
