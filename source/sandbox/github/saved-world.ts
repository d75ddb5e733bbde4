// What the sandbox GitHub keeps in its state directory so a restart there is the same GitHub: `server.json` (its port
// and the three tokens: kept whatever the world), `world.json` (pull requests and reviews, runs and their logs, the
// counters that number them, the tokens' rate limits) and the repository itself (`git/served`, see repository.ts).
import path from 'node:path';
import {StateFile} from '../state-file.js';
import type {WorldState} from './world.js';

const VERSION = 1;

interface SavedServer {
	port: number;
	tokens: {operator: string; reviewer: string; limited: string};
}

interface SavedWorld {
	version: number;
	scenario: string;
	owner: string | null;
	savedAt: number;
	world: WorldState;
}

export interface GitHubKeeping {
	/** The tokens of this directory, if it has had a sandbox before. */
	tokens?: SavedServer['tokens'];
	lastPort?: number;
	/** The last world, when it is the one asked for (same scenario and owner). */
	world?: WorldState;
}

export function readKept(dir: string, want: {scenario: string; owner: string | null; fresh?: boolean}): GitHubKeeping {
	const server = StateFile.read<Partial<SavedServer>>(path.join(dir, 'server.json'));
	const saved = want.fresh ? undefined : StateFile.read<SavedWorld>(path.join(dir, 'world.json'));
	const tokens = server?.tokens && typeof server.tokens.operator === 'string' ? server.tokens : undefined;
	const sameWorld = saved?.version === VERSION && saved.scenario === want.scenario && (saved.owner ?? null) === want.owner && saved.world?.counters;
	return {
		tokens,
		lastPort: Number.isInteger(server?.port) && server!.port! > 0 ? server!.port : undefined,
		world: sameWorld ? saved.world : undefined,
	};
}

export function saveServer(dir: string, server: SavedServer): Promise<void> {
	return new StateFile(path.join(dir, 'server.json'), () => server).save(true);
}

/**
 * Saves the world whenever it differs from what was saved last, looked at every 500 ms (its changes come from many
 * places: requests, the runner, the colleague), and a last time on `stop()`.
 */
export function keepWorld(dir: string, info: {scenario: string; owner: string | null}, state: () => WorldState): {stop(): Promise<void>} {
	let last = '';
	const file = new StateFile<SavedWorld>(path.join(dir, 'world.json'), () => ({version: VERSION, ...info, savedAt: Date.now(), world: state()}));
	const check = () => {
		const now = JSON.stringify(state());
		if (now === last) return;
		last = now;
		void file.save();
	};
	check();
	const timer = setInterval(check, 500);
	timer.unref();
	return {
		stop() {
			clearInterval(timer);
			return file.save(true);
		},
	};
}
