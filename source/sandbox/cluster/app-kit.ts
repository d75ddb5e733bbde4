// The contract between the Service proxy and the apps it routes to, and the small HTTP helpers they share.
import {STATUS_CODES, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import type {ImageBehaviour} from './scenarios.js';
import type {KubeObject} from './types.js';

export interface AppContext {
	pod: KubeObject;
	/** The image's tag without a leading `v` (`1.1.0`), or `latest`. */
	version: string;
	behaviour: ImageBehaviour;
	/** From the container's ENVIRONMENT variable, else the namespace. */
	environment: string;
	/** The client as the pod sees it: the node's address (the Service proxy masquerades), the client's port. */
	peer: string;
	/** The "database" every pod of the sandbox shares: orders placed through one pod are seen through another. */
	shared: Map<string, unknown>;
	/** Signs and checks login tokens; shared by all pods, as a real deployment shares its secret. */
	secret: Buffer;
	/** Simulated time runs this many times faster. */
	speed: number;
	/** Appends one line to the pod's log (`kubectl logs`). */
	log(line: string): void;
	/** False once the pod is gone or its container stopped: open connections to it break. */
	alive(): boolean;
}

export interface App {
	handle(req: IncomingMessage, res: ServerResponse, ctx: AppContext): void | Promise<void>;
	/** A connection upgrade (WebSocket); without it the app answers 404. */
	upgrade?(req: IncomingMessage, socket: Duplex, ctx: AppContext): void;
	/** The access-log line the app writes for a finished request. */
	accessLine(req: IncomingMessage, status: number, ctx: AppContext): string;
}

export function imageVersion(image: string): string {
	const last = image.split('@')[0]!.split('/').pop() ?? '';
	const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : 'latest';
	return tag.replace(/^v(?=\d)/, '');
}

export function sendBody(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>): void {
	res.writeHead(status, {...headers, 'content-length': String(Buffer.byteLength(body))});
	res.end(body);
}

/** uvicorn's access line: `INFO:     10.244.0.1:52114 - "GET /health HTTP/1.1" 200 OK`. */
export function uvicornAccessLine(req: IncomingMessage, status: number, ctx: AppContext): string {
	return `INFO:     ${ctx.peer} - "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}
