// What a sandbox cluster keeps in its state directory so a restart there is the same cluster: `server.json` (its
// port and bearer token, like the CA in tls/: kept whatever the world) and `world.json` (every object, the
// resourceVersion counter, the kubelet's pending steps), saved as it changes.
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {StateFile} from '../state-file.js';
import type {EventRecorder} from './events.js';
import type {KubeletSim, KubeletState} from './kubelet.js';
import type {ScenarioName} from './scenarios.js';
import type {ObjectStore} from './store.js';
import type {KubeObject} from './types.js';

const SERVER_FILE = 'server.json';
export const WORLD_FILE = 'world.json';
const VERSION = 1;

export interface SavedServer {
	port: number;
	token: string;
}

export interface SavedWorld {
	version: number;
	scenario: ScenarioName;
	/** Who the world belongs to (a rehearsal's session): another owner starts from the seed. */
	owner: string | null;
	serviceCidr: string;
	savedAt: number;
	store: {rv: number; objects: Record<string, KubeObject[]>};
	kubelet: KubeletState;
}

/** The token of this directory (made once), and the port it served on last. */
export function serverIdentity(dir: string): {token: string; lastPort: number | undefined; save(port: number): Promise<void>} {
	const saved = StateFile.read<Partial<SavedServer>>(path.join(dir, SERVER_FILE));
	const token = typeof saved?.token === 'string' && saved.token.length >= 16 ? saved.token : randomBytes(24).toString('base64url');
	const lastPort = Number.isInteger(saved?.port) && saved!.port! > 0 ? saved!.port : undefined;
	return {token, lastPort, save: port => new StateFile(path.join(dir, SERVER_FILE), () => ({port, token})).save(true)};
}

/** Everything a state directory's last world was, if it is the world asked for (same scenario, owner and addresses). */
export function savedWorld(dir: string, want: {scenario: ScenarioName; owner: string | null; serviceCidr: string}): SavedWorld | undefined {
	const saved = StateFile.read<SavedWorld>(path.join(dir, WORLD_FILE));
	if (!saved || saved.version !== VERSION || typeof saved.store?.rv !== 'number' || !saved.store.objects) return undefined;
	if (saved.scenario !== want.scenario || (saved.owner ?? null) !== want.owner || saved.serviceCidr !== want.serviceCidr) return undefined;
	return saved;
}

/** The scenario a state directory's world was last playing (for `runbook sandbox` restarted without --scenario). */
export function savedScenario(dir: string): ScenarioName | undefined {
	return StateFile.read<Partial<SavedWorld>>(path.join(dir, WORLD_FILE))?.scenario;
}

export function restoreWorld(saved: SavedWorld, parts: {store: ObjectStore; events: EventRecorder; kubelet: KubeletSim}): void {
	parts.store.load(saved.store);
	parts.events.reindex();
	parts.kubelet.restoreState(saved.kubelet);
}

/** Saves the world within 500 ms of any change; `stop()` saves it a last time. */
export function keepWorld(dir: string, info: {scenario: ScenarioName; owner: string | null; serviceCidr: string}, parts: {store: ObjectStore; kubelet: KubeletSim}): {stop(): Promise<void>} {
	const file = new StateFile<SavedWorld>(path.join(dir, WORLD_FILE), () => ({
		version: VERSION, ...info, savedAt: Date.now(), store: parts.store.dump(), kubelet: parts.kubelet.saveState(),
	}));
	const unsubscribe = parts.store.subscribe(() => file.schedule());
	void file.save();
	return {
		stop() {
			unsubscribe();
			return file.save(true);
		},
	};
}
