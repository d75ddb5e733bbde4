// Just enough RFC 6455 for kubectl's exec streams and the apps' own WebSockets: the upgrade handshake, unmasked
// server frames, and parsing the client's masked frames (close and ping matter; data is surfaced as-is).
import {createHash} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function rejectUpgrade(socket: Duplex, code: number, reason: string, body: object): void {
	const text = JSON.stringify(body);
	socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** Completes the handshake with the first offered subprotocol we support; undefined when none is. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex, supported: string[]): string | undefined {
	const key = req.headers['sec-websocket-key'];
	const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map(p => p.trim());
	const protocol = supported.find(p => offered.includes(p));
	if (!key || !protocol) return undefined;
	const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
	socket.write(
		`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
	);
	return protocol;
}

/**
 * The handshake for an application's own WebSocket (no subprotocol required, as websocat and browsers connect):
 * false, with the socket answered 400, when the request is not a version-13 WebSocket upgrade.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex): boolean {
	const key = req.headers['sec-websocket-key'];
	const upgrade = String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
	if (!upgrade || !key || req.headers['sec-websocket-version'] !== '13' || req.method !== 'GET') {
		const text = 'Bad Request: a WebSocket upgrade (version 13) is expected here';
		socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nSec-WebSocket-Version: 13\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`);
		return false;
	}
	const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
	socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
	return true;
}

export function frame(opcode: number, payload: Buffer): Buffer {
	const len = payload.length;
	const header = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
	if (len >= 126 && len < 65536) {
		header[0] = 0x80 | opcode;
		header[1] = 126;
		header.writeUInt16BE(len, 2);
	} else if (len >= 65536) {
		header[0] = 0x80 | opcode;
		header[1] = 127;
		header.writeBigUInt64BE(BigInt(len), 2);
	}
	return Buffer.concat([header, payload]);
}

/** Feeds incoming bytes and calls back per complete frame; answers pings, echoes close. */
export function readFrames(socket: Duplex, onMessage: (opcode: number, payload: Buffer) => void): void {
	let buffer = Buffer.alloc(0);
	socket.on('data', (chunk: Buffer) => {
		buffer = Buffer.concat([buffer, chunk]);
		for (;;) {
			if (buffer.length < 2) return;
			const opcode = buffer[0]! & 0x0f;
			const masked = (buffer[1]! & 0x80) !== 0;
			let len = buffer[1]! & 0x7f;
			let offset = 2;
			if (len === 126) {
				if (buffer.length < 4) return;
				len = buffer.readUInt16BE(2);
				offset = 4;
			} else if (len === 127) {
				if (buffer.length < 10) return;
				len = Number(buffer.readBigUInt64BE(2));
				offset = 10;
			}
			const maskAt = offset;
			if (masked) offset += 4;
			if (buffer.length < offset + len) return;
			const payload = Buffer.from(buffer.subarray(offset, offset + len));
			if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buffer[maskAt + (i % 4)]!;
			buffer = buffer.subarray(offset + len);
			if (opcode === 0x9) socket.write(frame(0xa, payload));
			else if (opcode === 0x8) {
				socket.end(frame(0x8, payload.subarray(0, 2)));
				return;
			}
			onMessage(opcode, payload);
		}
	});
}
