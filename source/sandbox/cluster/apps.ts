// What a pod answers on its ports when traffic reaches it through a Service: an application chosen by image,
// like the image → behaviour table of scenarios.ts. The guide's overlord is a FastAPI app (app-overlord.ts); any
// other image is a plain web app that answers `/` and the usual health paths, so a runbook's own Services work.
import {type App, sendBody} from './app-kit.js';
import {overlordApp} from './app-overlord.js';

export type {App, AppContext} from './app-kit.js';

const HEALTH_PATHS = new Set(['/health', '/healthz', '/livez', '/readyz', '/ready', '/status']);

/** Any other image: `/` and the usual health paths answer 200 (503 while the scenario keeps it unready). */
export const genericApp: App = {
	handle(req, res, ctx) {
		const path = new URL(req.url ?? '/', 'http://pod').pathname;
		const text = {'content-type': 'text/plain; charset=utf-8'};
		if (req.method !== 'GET' && req.method !== 'HEAD') return sendBody(res, 405, 'method not allowed\n', text);
		if (path === '/') return sendBody(res, 200, `${ctx.pod.metadata.name}: ok (version ${ctx.version})\n`, text);
		if (!HEALTH_PATHS.has(path)) return sendBody(res, 404, '404 page not found\n', text);
		const healthy = ctx.behaviour !== 'never-ready';
		const body = JSON.stringify({status: healthy ? 'ok' : 'unavailable', version: ctx.version});
		return sendBody(res, healthy ? 200 : 503, body, {'content-type': 'application/json'});
	},
	accessLine(req, status, ctx) {
		const when = new Date().toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
		const agent = String(req.headers['user-agent'] ?? '-');
		return `${ctx.peer.split(':')[0]} - - [${when}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} - "-" "${agent}"`;
	},
};

/** Image → application, first match wins. Matched against the full image reference. */
export const APPS: Array<{image: RegExp; app: App}> = [
	{image: /(^|\/)overlord[\w.-]*(:|@|$)/, app: overlordApp},
	{image: /./, app: genericApp},
];

export function appFor(image: string): App {
	return APPS.find(entry => entry.image.test(image))?.app ?? genericApp;
}
