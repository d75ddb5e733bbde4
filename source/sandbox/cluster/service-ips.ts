// Service IPs on this machine's loopback range. Every address of 127.0.0.0/8 is local on Linux without any
// configuration, so each sandbox claims a /24 of it (127.R1.R2.0/24) and its Services answer at their ClusterIP
// and load-balancer IP there; two sandboxes (parallel tests, a developer's own) never share an address.
import {randomInt} from 'node:crypto';
import {readFile, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:net';
import path from 'node:path';
import type {ObjectStore} from './store.js';
import {ApiError, type KubeObject} from './types.js';

/**
 * The claim: a listener on `<block>.1` at this port while the sandbox runs. A second sandbox that drew the same
 * block fails to bind it (EADDRINUSE) and draws again; the kernel drops the claim when the process dies.
 */
export const BLOCK_MARKER_PORT = 65535;
const FIRST_HOST = 2;
const LAST_HOST = 254;
const STATE_FILE = 'service-ips.json';
const DRAWS = 64;

export class ServiceIpBlock {
	constructor(
		/** `127.R1.R2` */
		readonly prefix: string,
		private readonly marker?: Server,
	) {}

	get cidr(): string {
		return `${this.prefix}.0/24`;
	}

	contains(ip: unknown): boolean {
		if (typeof ip !== 'string' || !ip.startsWith(`${this.prefix}.`)) return false;
		const host = Number(ip.slice(this.prefix.length + 1));
		return Number.isInteger(host) && host >= FIRST_HOST && host <= LAST_HOST;
	}

	/** The lowest address of the block that no Service holds, as the API server's allocator would hand out. */
	allocate(used: Set<string>): string {
		for (let host = FIRST_HOST; host <= LAST_HOST; host++) {
			const ip = `${this.prefix}.${host}`;
			if (!used.has(ip)) {
				used.add(ip);
				return ip;
			}
		}
		throw new ApiError(500, 'InternalError', `Internal error occurred: failed to allocate a serviceIP: range is full (${this.cidr})`);
	}

	release(): Promise<void> {
		return new Promise(resolve => (this.marker ? this.marker.close(() => resolve()) : resolve()));
	}
}

/** Every ClusterIP and load-balancer IP the stored Services hold. */
export function serviceIpsInUse(store: ObjectStore): Set<string> {
	const used = new Set<string>();
	for (const svc of store.list('services')) for (const ip of serviceAddresses(svc)) used.add(ip);
	return used;
}

/** A Service's addresses: its ClusterIP(s), then its load-balancer ingress IPs. */
export function serviceAddresses(svc: KubeObject): string[] {
	const spec = svc.spec ?? {};
	const cluster: unknown[] = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
	const ingress: unknown[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i?.ip);
	return [...cluster, ...ingress].filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
}

function bindMarker(prefix: string): Promise<Server | NodeJS.ErrnoException> {
	return new Promise(resolve => {
		// Nothing is served on the marker: a connection is closed at once.
		const server = createServer(socket => socket.destroy());
		server.once('error', error => resolve(error as NodeJS.ErrnoException));
		server.listen(BLOCK_MARKER_PORT, `${prefix}.1`, () => {
			server.removeAllListeners('error');
			server.on('error', () => {});
			server.unref();
			resolve(server);
		});
	});
}

async function rememberedPrefix(dir: string): Promise<string | undefined> {
	try {
		const saved = JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8'));
		return typeof saved?.block === 'string' && /^127\.\d{1,3}\.\d{1,3}$/.test(saved.block) ? saved.block : undefined;
	} catch {
		return undefined;
	}
}

// 127.0.x.x is left alone: 127.0.0.1 and Debian's 127.0.1.1 live there.
const drawPrefix = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}`;

/**
 * Claims a block: the one this state directory used last time if it is free (so a restarted sandbox keeps its
 * addresses), else a random one, drawn again while taken. Where 127.x.y.z addresses are not local (macOS), the
 * block is still assigned but nothing can listen on it; the Service proxy says so per address.
 */
export async function claimServiceIpBlock(dir: string): Promise<ServiceIpBlock> {
	const remembered = await rememberedPrefix(dir);
	const candidates = [...(remembered ? [remembered] : []), ...Array.from({length: DRAWS}, drawPrefix)];
	for (const prefix of candidates) {
		const result = await bindMarker(prefix);
		if (result instanceof Error) {
			if (result.code === 'EADDRINUSE') continue;
			return new ServiceIpBlock(prefix);
		}
		if (prefix !== remembered) await writeFile(path.join(dir, STATE_FILE), `${JSON.stringify({block: prefix})}\n`, {mode: 0o600}).catch(() => {});
		return new ServiceIpBlock(prefix, result);
	}
	throw new Error(`no free service IP block in 127.0.0.0/8 after ${DRAWS} draws`);
}

/** The cloud's part: a LoadBalancer Service gets an ingress IP from the block; a Service of another type has none. */
export function assignLoadBalancerIps(store: ObjectStore, block: ServiceIpBlock): void {
	for (const svc of store.list('services')) {
		const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
		const isLb = svc.spec?.type === 'LoadBalancer';
		if (isLb && ingress.length === 0) {
			const ip = block.allocate(serviceIpsInUse(store));
			store.mutate('services', svc.metadata.namespace, svc.metadata.name, d => {
				d.status = {loadBalancer: {ingress: [{ip, ipMode: 'VIP'}]}};
			});
		} else if (!isLb && ingress.length > 0) {
			store.mutate('services', svc.metadata.namespace, svc.metadata.name, d => {
				d.status = {loadBalancer: {}};
			});
		}
	}
}
