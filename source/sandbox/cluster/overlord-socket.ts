// The overlord app's `/ws/trading`: a plain WebSocket (what `websocat ws://$SERVICE_IP:8000/ws/trading` opens)
// that greets, then sends a JSON ticker per subscribed market every second; `{"action":"subscribe","symbols":[…]}`,
// `unsubscribe` and `ping` are answered. The stream breaks without a close frame when the pod dies.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import type {AppContext} from './app-kit.js';
import {findMarket, MARKETS, ticker} from './overlord-market.js';
import {acceptWebSocket, frame, readFrames} from './websocket.js';

const DEFAULT_SYMBOLS = ['BTC-USD', 'ETH-USD'];
const TEXT = 0x1;

function refuse(socket: Duplex, status: string): void {
	socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/** The client's JSON messages; anything else gets a one-line complaint, as the app's handler sends. */
function onMessage(text: string, symbols: Set<string>, send: (value: unknown) => void): void {
	let message: any;
	try {
		message = JSON.parse(text);
	} catch {
		send({type: 'invalid', message: 'expected a JSON object such as {"action":"subscribe","symbols":["BTC-USD"]}'});
		return;
	}
	const asked: string[] = Array.isArray(message?.symbols) ? message.symbols.map(String) : [];
	if (message?.action === 'ping') return send({type: 'pong', ts: new Date().toISOString()});
	if (message?.action === 'subscribe' || message?.action === 'unsubscribe') {
		const known = asked.map(s => findMarket(s)?.symbol).filter((s): s is string => Boolean(s));
		for (const s of known) {
			if (message.action === 'subscribe') symbols.add(s);
			else symbols.delete(s);
		}
		return send({type: `${message.action}d`, symbols: [...symbols]});
	}
	send({type: 'invalid', message: `unknown action ${JSON.stringify(message?.action ?? null)}; use subscribe, unsubscribe or ping`});
}

export function openTradingSocket(req: IncomingMessage, socket: Duplex, ctx: AppContext): void {
	const path = new URL(req.url ?? '/', 'http://pod').pathname;
	const target = `"WebSocket ${req.url}"`;
	// uvicorn turns a WebSocket to a path the app has no route for away with 403.
	if (path !== '/ws/trading') {
		ctx.log(`INFO:     ${ctx.peer} - ${target} 403`);
		return refuse(socket, '403 Forbidden');
	}
	if (!acceptWebSocket(req, socket)) return;
	ctx.log(`INFO:     ${ctx.peer} - ${target} [accepted]`);
	ctx.log('INFO:     connection open');
	const symbols = new Set(DEFAULT_SYMBOLS);
	const send = (value: unknown) => {
		if (socket.writable) socket.write(frame(TEXT, Buffer.from(JSON.stringify(value))));
	};
	const tick = () => {
		if (!ctx.alive()) {
			socket.destroy();
			return;
		}
		for (const s of symbols) send(ticker(findMarket(s)!, Date.now()));
	};
	send({type: 'welcome', service: 'overlord', version: ctx.version, channels: ['ticker'], symbols: MARKETS.map(m => m.symbol), subscribed: [...symbols]});
	tick();
	const timer = setInterval(tick, Math.max(100, 1000 / ctx.speed));
	readFrames(socket, (opcode, payload) => {
		if (opcode === TEXT) onMessage(payload.toString('utf8'), symbols, send);
	});
	let closed = false;
	const close = () => {
		clearInterval(timer);
		if (closed) return;
		closed = true;
		ctx.log('INFO:     connection closed');
	};
	socket.on('close', close);
	socket.on('error', () => socket.destroy());
}
