// Orders and portfolios in the overlord app's shared "database": market orders fill at once at the current price,
// limit orders rest; the portfolio is what the user's fills add up to.
import {randomBytes} from 'node:crypto';
import {stamp} from './access-log.js';
import type {Call, Reply} from './app-overlord.js';
import {findMarket, priceAt} from './overlord-market.js';

interface Order {
	id: string;
	user: string;
	symbol: string;
	side: 'buy' | 'sell';
	type: 'market' | 'limit';
	quantity: number;
	price: string;
	status: 'filled' | 'open';
	created_at: string;
}

const STARTING_USD = 100_000;
const KEPT = 200;

function orders(shared: Map<string, unknown>): Order[] {
	let list = shared.get('orders') as Order[] | undefined;
	if (!list) shared.set('orders', (list = []));
	return list;
}

export function userOrders(shared: Map<string, unknown>, user: string): Array<Omit<Order, 'user'>> {
	return orders(shared).filter(o => o.user === user).map(({user: _user, ...rest}) => rest);
}

const invalid = (field: string, msg: string, input: unknown): Reply => ({status: 422, body: {detail: [{type: 'value_error', loc: ['body', field], msg, input}]}});

function validate(fields: Record<string, unknown>): Reply | undefined {
	for (const field of ['symbol', 'side', 'quantity']) {
		if (fields[field] === undefined) return {status: 422, body: {detail: [{type: 'missing', loc: ['body', field], msg: 'Field required', input: fields}]}};
	}
	if (fields.side !== 'buy' && fields.side !== 'sell') return invalid('side', "Input should be 'buy' or 'sell'", fields.side);
	const type = fields.type ?? 'market';
	if (type !== 'market' && type !== 'limit') return invalid('type', "Input should be 'market' or 'limit'", type);
	if (typeof fields.quantity !== 'number' || !(fields.quantity > 0)) return invalid('quantity', 'Input should be greater than 0', fields.quantity);
	if (type === 'limit' && !(typeof fields.price === 'number' && fields.price > 0)) return invalid('price', 'A limit order needs a price greater than 0', fields.price);
	return undefined;
}

export function placeOrder({ctx, body, user}: Call): Reply {
	const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
	if (!fields) return {status: 422, body: {detail: [{type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body ?? null}]}};
	const problem = validate(fields);
	if (problem) return problem;
	const m = findMarket(String(fields.symbol));
	if (!m) return {status: 404, body: {detail: 'Market not found'}};
	const now = Date.now();
	const type = fields.type === 'limit' ? 'limit' : 'market';
	const order: Order = {
		id: `ord_${randomBytes(8).toString('hex')}`,
		user,
		symbol: m.symbol,
		side: fields.side as Order['side'],
		type,
		quantity: fields.quantity as number,
		price: (type === 'limit' ? (fields.price as number) : priceAt(m, now)).toFixed(m.decimals),
		status: type === 'market' ? 'filled' : 'open',
		created_at: new Date(now).toISOString(),
	};
	const list = orders(ctx.shared);
	list.push(order);
	if (list.length > KEPT) list.splice(0, list.length - KEPT);
	ctx.log(`${stamp(now)} INFO [overlord.trading] order ${order.status} id=${order.id} ${order.side} ${order.quantity} ${order.symbol} @ ${order.price}`);
	const {user: _user, ...shown} = order;
	return {status: 201, body: shown};
}

export function portfolio(shared: Map<string, unknown>, user: string) {
	const positions = new Map<string, number>();
	let usd = STARTING_USD;
	for (const o of orders(shared)) {
		if (o.user !== user || o.status !== 'filled') continue;
		const m = findMarket(o.symbol);
		if (!m) continue;
		const sign = o.side === 'buy' ? 1 : -1;
		positions.set(m.base, (positions.get(m.base) ?? 0) + sign * o.quantity);
		if (m.quote === 'USD') usd -= sign * o.quantity * Number(o.price);
	}
	return {
		user,
		balances: [{asset: 'USD', free: usd.toFixed(2)}],
		positions: [...positions].filter(([, q]) => q !== 0).map(([asset, quantity]) => ({asset, quantity})),
	};
}
