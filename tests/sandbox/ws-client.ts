// A small WebSocket client on Node's http module, independent of the sandbox's own frame code: the RFC 6455
// handshake (checking Sec-WebSocket-Accept), the server's unmasked frames, masked text and close frames.
import {createHash, randomBytes} from 'node:crypto';
import type {IncomingHttpHeaders} from 'node:http';
import {request} from 'node:http';
import type {Duplex} from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WsClient {
	headers: IncomingHttpHeaders;
	/** Text messages received so far. */
	messages: string[];
	/** Resolves once `count` messages have arrived. */
	waitForMessages(count: number, timeoutMs?: number): Promise<string[]>;
	send(text: string): void;
	/** Sends a close frame and resolves when the server has closed the connection. */
	close(): Promise<void>;
	closed: Promise<void>;
}

function masked(opcode: number, payload: Buffer): Buffer {
	if (payload.length >= 126) throw new Error('test client sends short frames only');
	const mask = randomBytes(4);
	const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
	return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, body]);
}

function reader(socket: Duplex, head: Buffer, messages: string[], onChange: () => void): void {
	let buffer = head;
	const drain = () => {
		while (buffer.length >= 2) {
			const opcode = buffer[0]! & 0x0f;
			let len = buffer[1]! & 0x7f;
			let offset = 2;
			if (len === 126) [len, offset] = [buffer.readUInt16BE(2), 4];
			else if (len === 127) [len, offset] = [Number(buffer.readBigUInt64BE(2)), 10];
			if (buffer.length < offset + len) return;
			const payload = buffer.subarray(offset, offset + len);
			buffer = buffer.subarray(offset + len);
			if (opcode === 0x1) messages.push(payload.toString('utf8'));
			onChange();
		}
	};
	socket.on('data', (chunk: Buffer) => {
		buffer = Buffer.concat([buffer, chunk]);
		drain();
	});
	drain();
}

export function openWebSocket(url: string): Promise<WsClient> {
	const key = randomBytes(16).toString('base64');
	return new Promise((resolve, reject) => {
		const req = request(url, {headers: {Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13'}});
		req.on('response', res => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
		req.on('error', reject);
		req.on('upgrade', (res, socket, head) => {
			const expected = createHash('sha1').update(`${key}${GUID}`).digest('base64');
			if (res.statusCode !== 101 || res.headers['sec-websocket-accept'] !== expected) {
				socket.destroy();
				reject(new Error(`bad handshake: ${res.statusCode} ${String(res.headers['sec-websocket-accept'])}`));
				return;
			}
			const messages: string[] = [];
			const waiters = new Set<() => void>();
			reader(socket, head, messages, () => waiters.forEach(w => w()));
			const closed = new Promise<void>(done => socket.on('close', () => done()));
			socket.on('error', () => {});
			resolve({
				headers: res.headers,
				messages,
				closed,
				waitForMessages(count, timeoutMs = 5000) {
					return new Promise((ok, fail) => {
						const timer = setTimeout(() => fail(new Error(`only ${messages.length} of ${count} messages: ${messages.join(' | ')}`)), timeoutMs);
						const check = () => {
							if (messages.length < count) return;
							clearTimeout(timer);
							waiters.delete(check);
							ok(messages.slice(0, count));
						};
						waiters.add(check);
						check();
					});
				},
				send: text => socket.write(masked(0x1, Buffer.from(text))),
				async close() {
					const code = Buffer.alloc(2);
					code.writeUInt16BE(1000);
					socket.write(masked(0x8, code));
					await closed;
				},
			});
		});
		req.end();
	});
}
