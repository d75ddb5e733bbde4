// The REST endpoints the guide's gh commands need beyond the Actions API the app uses: for `gh run
// view`, a run's artifacts, a check run's annotations, and a run's logs as the zip GitHub serves
// (one text file per step, `<job>/<n>_<step>.txt`, which is how `--log` finds each step's lines;
// like a job's log, a redirect to a signed, token-free download); for the guide's `gh api
// /users/…/packages/container/…/versions`, the image versions the CI's Docker Build pushed.
import {createHash, createHmac} from 'node:crypto';
import {type Ctx, type Route} from './http.js';
import {apiError, FULL_NAME, iso, type Job, notFound, OWNER, REPO_NAME} from './model.js';
import {repoRoute} from './routes-repo.js';
import type {World} from './world.js';

const CRC_TABLE = Array.from({length: 256}, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(data: Buffer): number {
	let c = 0xffffffff;
	for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** A zip of stored (uncompressed) files: what any unzip, and Go's archive/zip, reads. */
export function zipStored(files: {name: string; data: Buffer}[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const {name, data} of files) {
		const nameBytes = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBytes.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, nameBytes, data);
		centrals.push(central, nameBytes);
		offset += local.length + nameBytes.length + data.length;
	}
	const dir = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, dir, end]);
}

/** A job's log lines by step: each line goes to the first step not yet finished when it was written. */
function stepLogs(job: Job): Map<number, string[]> {
	const out = new Map<number, string[]>(job.steps.map(s => [s.number, []]));
	for (const line of job.log) {
		const at = Date.parse(line.slice(0, line.indexOf(' ')));
		const step = job.steps.find(s => s.completedAt === undefined || at <= s.completedAt) ?? job.steps.at(-1);
		if (step) out.get(step.number)!.push(line);
	}
	return out;
}

/** Actions names the files after the job and step, with `/` (a path separator in the zip) left out. */
const fileName = (name: string) => name.replace(/[/\\:]/g, '');

export function runLogZip(world: World, runId: number): Buffer | undefined {
	const run = world.run(runId);
	if (!run) return undefined;
	const files: {name: string; data: Buffer}[] = [];
	run.jobs.forEach((job, i) => {
		if (job.status !== 'completed' || job.steps.length === 0) return;
		files.push({name: `${i}_${fileName(job.name)}.txt`, data: Buffer.from(job.log.map(l => `${l}\n`).join(''))});
		for (const [n, lines] of stepLogs(job)) {
			const step = job.steps.find(s => s.number === n)!;
			files.push({name: `${fileName(job.name)}/${n}_${fileName(step.name)}.txt`, data: Buffer.from(lines.map(l => `${l}\n`).join(''))});
		}
	});
	return files.length ? zipStored(files) : undefined;
}

/** The images on ghcr.io: one per release tag, and one per release run whose Docker Build pushed one. */
function images(world: World): {version: string; sha: string; at: number}[] {
	const byVersion = new Map<string, {version: string; sha: string; at: number}>();
	for (const [version, sha] of world.tags) byVersion.set(version, {version, sha, at: world.commits.get(sha)?.date ?? world.startedAt});
	for (const run of world.runs) {
		const job = run.jobs.find(j => j.name === 'Docker Build');
		if (run.version && job?.conclusion === 'success') byVersion.set(run.version, {version: run.version, sha: run.headSha, at: job.completedAt ?? run.createdAt});
	}
	return [...byVersion.values()].sort((a, b) => b.at - a.at);
}

/** `GET /users/{owner}/packages/container/{name}/versions`, newest first, the newest also tagged `latest`. */
function packageVersions(ctx: Ctx) {
	const [owner, name] = ctx.params;
	const doc = '/packages/packages#list-package-versions-for-a-package-owned-by-a-user';
	if (owner!.toLowerCase() !== OWNER || name !== REPO_NAME) throw apiError(404, 'Package not found.', doc);
	if (!ctx.user.scopes.includes('read:packages')) throw apiError(403, 'You need at least read:packages scope to list packages.', doc);
	const base = `${ctx.api}/users/${OWNER}/packages/container/${REPO_NAME}`;
	return {json: images(ctx.world).map((image, i) => {
		const digest = createHash('sha256').update(`image:${image.version}:${image.sha}`).digest('hex');
		const id = 300_000_000 + parseInt(digest.slice(0, 7), 16) % 100_000_000;
		return {
			id, name: `sha256:${digest}`, url: `${base}/versions/${id}`,
			package_html_url: `https://github.com/users/${OWNER}/packages/container/package/${REPO_NAME}`,
			created_at: iso(image.at), updated_at: iso(image.at), html_url: `https://github.com/users/${OWNER}/packages/container/${REPO_NAME}/${id}`,
			metadata: {package_type: 'container', container: {tags: i === 0 ? [image.version, 'latest'] : [image.version]}},
		};
	})};
}

const signature = (world: World, runId: number) => createHmac('sha256', world.logSecret).update(`run:${runId}`).digest('hex').slice(0, 32);

export const ghRoutes: Route[] = [
	['GET', /^\/(?:users|orgs)\/([^/]+)\/packages\/container\/([^/]+)\/versions$/, packageVersions],
	repoRoute('GET', '/actions/runs/(\\d+)/artifacts', ctx => {
		if (!ctx.world.run(Number(ctx.params[0]))) throw notFound();
		return {json: {total_count: 0, artifacts: []}};
	}),
	repoRoute('GET', '/check-runs/(\\d+)/annotations', ctx => {
		const hit = ctx.world.job(Number(ctx.params[0]));
		if (!hit) throw notFound();
		const failed = hit.job.conclusion === 'failure';
		// A failed step leaves the one annotation Actions writes for a non-zero exit.
		return {json: failed ? [{
			path: '.github', blob_href: `https://github.com/${FULL_NAME}/blob/${hit.run.headSha}/.github`, start_line: 1, end_line: 1,
			start_column: null, end_column: null, annotation_level: 'failure', title: '', message: 'Process completed with exit code 1.', raw_details: '',
		}] : []};
	}),
	repoRoute('GET', '/actions/runs/(\\d+)/logs', ctx => {
		const id = Number(ctx.params[0]);
		const run = ctx.world.run(id);
		if (!run) throw notFound();
		if (run.status !== 'completed') throw apiError(404, 'Not Found');
		return {status: 302, headers: {location: `${ctx.api}/sandbox/logs/runs/${id}.zip?sig=${signature(ctx.world, id)}`}};
	}),
];

/** The zip's "blob storage": no token, a signature instead. */
export const ghPublicRoutes: Route[] = [
	['GET', /^\/sandbox\/logs\/runs\/(\d+)\.zip$/, ctx => {
		const id = Number(ctx.params[0]);
		const zip = ctx.query.get('sig') === signature(ctx.world, id) ? runLogZip(ctx.world, id) : undefined;
		if (!zip) throw apiError(403, 'Server failed to authenticate the request.');
		return {binary: zip, headers: {'content-type': 'application/zip'}};
	}],
];
