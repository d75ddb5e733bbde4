// The sandbox GitHub's repository side: the world opened on a fresh copy of the seeded git repository, and the
// handler that serves git's smart HTTP next to the API (a push's ref updates go to pushes.ts).
import type {IncomingMessage, ServerResponse} from 'node:http';
import {join} from 'node:path';
import {gitRequest, serveGit} from './git-http.js';
import {OWNER, REPO_NAME} from './model.js';
import {afterPush, type Sandbox} from './pushes.js';
import {Repository} from './repository.js';
import {World} from './world.js';

/**
 * A world whose repository is a fresh copy of the seed kept under `<dir>/git` (or under a temporary directory); with
 * `keep`, the copy stays in `<dir>/git/served`, and `keep.reuse` takes up the one a previous sandbox left there.
 */
export async function openWorld(dir?: string, keep?: {reuse: boolean}): Promise<World> {
	const repository = await Repository.open(OWNER, REPO_NAME, dir === undefined ? undefined : join(dir, 'git'), keep);
	try {
		const world = new World(repository);
		await world.refresh();
		return world;
	} catch (error) {
		await repository.dispose();
		throw error;
	}
}

type Handle = (req: IncomingMessage, res: ServerResponse) => void;

/** `api`, with the requests for `/<owner>/<repo>.git/…` served by git instead. */
export function withGit(s: Sandbox, api: Handle): Handle {
	return (req, res) => {
		const parsed = gitRequest(req.url, OWNER, REPO_NAME);
		if (!parsed) return api(req, res);
		serveGit(req, res, parsed, {
			repository: s.world.repository, owner: OWNER, name: REPO_NAME,
			user: token => s.world.tokens.get(token),
			onPush: (updates, login) => afterPush(s, updates, login),
		}).catch(error => {
			if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain'});
			res.end(`sandbox git error: ${error instanceof Error ? error.message : String(error)}\n`);
		});
	};
}
