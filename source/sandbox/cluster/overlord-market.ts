// The trading data the overlord app serves: a few markets whose prices drift with the clock, so two requests a
// second apart differ and every pod (all reading the same "exchange") agrees at a given moment.

interface Market {
	symbol: string;
	base: string;
	quote: string;
	price: number;
	volume: number;
	decimals: number;
}

export const MARKETS: Market[] = [
	{symbol: 'BTC-USD', base: 'BTC', quote: 'USD', price: 97_250, volume: 18_432.5, decimals: 2},
	{symbol: 'ETH-USD', base: 'ETH', quote: 'USD', price: 3_412.8, volume: 212_904.1, decimals: 2},
	{symbol: 'SOL-USD', base: 'SOL', quote: 'USD', price: 187.42, volume: 1_904_233, decimals: 3},
	{symbol: 'XRP-USD', base: 'XRP', quote: 'USD', price: 2.1834, volume: 48_221_090, decimals: 4},
	{symbol: 'ETH-BTC', base: 'ETH', quote: 'BTC', price: 0.035_09, volume: 9_811.4, decimals: 5},
];

export function findMarket(symbol: string): Market | undefined {
	return MARKETS.find(m => m.symbol === symbol.toUpperCase());
}

function phase(symbol: string): number {
	let h = 0;
	for (const ch of symbol) h = (h * 33 + ch.charCodeAt(0)) % 997;
	return h;
}

/** A slow swell plus a quick wobble, within about ±2 %. */
export function priceAt(m: Market, at: number): number {
	const p = phase(m.symbol);
	const drift = 0.015 * Math.sin(at / 600_000 + p) + 0.004 * Math.sin(at / 7_000 + p * 3);
	return m.price * (1 + drift);
}

const fixed = (m: Market, value: number) => value.toFixed(m.decimals);

export function marketSummary(m: Market, at: number) {
	const last = priceAt(m, at);
	const dayAgo = priceAt(m, at - 86_400_000);
	return {
		symbol: m.symbol,
		base: m.base,
		quote: m.quote,
		status: 'open',
		last_price: fixed(m, last),
		change_24h_pct: (((last - dayAgo) / dayAgo) * 100).toFixed(2),
		volume_24h: m.volume.toFixed(1),
	};
}

export function ticker(m: Market, at: number) {
	const last = priceAt(m, at);
	const spread = last * 0.0002;
	return {
		type: 'ticker',
		symbol: m.symbol,
		price: fixed(m, last),
		bid: fixed(m, last - spread / 2),
		ask: fixed(m, last + spread / 2),
		volume_24h: m.volume.toFixed(1),
		ts: new Date(at).toISOString(),
	};
}

export function orderBook(m: Market, at: number, depth = 5) {
	const mid = priceAt(m, at);
	const step = mid * 0.0001;
	const level = (i: number, side: 1 | -1) => [fixed(m, mid + side * step * (i + 0.5)), (0.25 + ((i * 7 + phase(m.symbol)) % 11) / 4).toFixed(4)];
	return {
		symbol: m.symbol,
		bids: Array.from({length: depth}, (_, i) => level(i, -1)),
		asks: Array.from({length: depth}, (_, i) => level(i, 1)),
		ts: new Date(at).toISOString(),
	};
}
