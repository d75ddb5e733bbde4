// Request/response plumbing shared by the API, watch and log handlers.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo, Server} from 'node:net';
import {parse as parseYaml} from 'yaml';
import {isKubeProtobuf, objectFromProtobuf} from './protobuf.js';
import {ApiError, type StatusBody, statusBody} from './types.js';

export type ResponseFormat = {kind: 'json'} | {kind: 'table'} | {kind: 'metadata'};

/** Reads `as=Table` / `as=PartialObjectMetadataList` from the Accept header; anything else is JSON. */
export function responseFormat(accept: string | undefined): ResponseFormat {
	const text = accept ?? '';
	if (/as=Table/.test(text)) return {kind: 'table'};
	if (/as=PartialObjectMetadata/.test(text)) return {kind: 'metadata'};
	return {kind: 'json'};
}

/**
 * encoding/json's escaping of `<`, `>`, `&`, U+2028 and U+2029, which the API server applies to
 * every response (and which ControllerRevision data carries byte for byte). Safe on whole JSON
 * texts: those characters only occur inside strings.
 */
export function escapeLikeGo(json: string): string {
	if (!/[<>&\u2028\u2029]/.test(json)) return json;
	return json.replace(/[<>&\u2028\u2029]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
	const text = escapeLikeGo(JSON.stringify(body));
	res.writeHead(code, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-cache, private',
	});
	res.end(text);
}

export function sendStatus(res: ServerResponse, status: StatusBody): void {
	sendJson(res, status.code, status);
}

export function sendError(res: ServerResponse, error: unknown): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	if (error instanceof ApiError) {
		sendStatus(res, error.toStatus());
		return;
	}
	sendStatus(res, statusBody(500, 'InternalError', `sandbox internal error: ${String(error)}`));
}

const MAX_BODY = 32 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'request entity too large');
		chunks.push(chunk as Buffer);
	}
	const raw = Buffer.concat(chunks);
	const text = raw.toString('utf8');
	if (text.trim() === '') return undefined;
	const type = String(req.headers['content-type'] ?? '');
	// kubectl's typed `create namespace|configmap` send protobuf; those two are read, the rest refused.
	if (type.includes('protobuf') && isKubeProtobuf(raw)) return objectFromProtobuf(raw, type);
	if (type.includes('protobuf') || type.includes('cbor')) {
		throw new ApiError(415, 'UnsupportedMediaType', `the sandbox API server accepts JSON or YAML bodies only, not ${type}; use \`kubectl create -f\` or \`kubectl apply -f\``);
	}
	try {
		return type.includes('yaml') ? parseYaml(text) : JSON.parse(text);
	} catch (error) {
		throw new ApiError(400, 'BadRequest', `the body of the request could not be decoded: ${String(error)}`);
	}
}

export function bearerToken(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	if (!header) return undefined;
	const m = /^Bearer\s+(.+)$/i.exec(header);
	return m ? m[1]!.trim() : undefined;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
	const v = query.get(name);
	return v === 'true' || v === '1';
}

/** Listening on 127.0.0.1 (port 0: any free one); resolves to the port. */
export function listen(server: Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}
