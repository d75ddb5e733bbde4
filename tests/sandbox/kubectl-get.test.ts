// The guide's read-only kubectl commands against the seeded world.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {IMAGE, NS, parseTable, startTestCluster, type TestCluster} from './helpers.js';
import {describeNeeds} from '../helpers/requirements.js';

let t: TestCluster;
beforeAll(async () => {
	t = await startTestCluster();
});
afterAll(async () => t?.close());

describeNeeds(['kubectl'])('kubectl get against the seeded world', () => {
	it('lists pods with kubectl columns', async () => {
		const out = await t.kubectl(['get', 'pods', '-n', NS]);
		expect(out.exitCode, out.stderr).toBe(0);
		expect(out.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
		const rows = parseTable(out.stdout);
		expect(rows).toHaveLength(3);
		for (const row of rows) {
			expect(row.NAME).toMatch(/^overlord-[bcdfghjklmnpqrstvwxz2456789]{9,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
			expect(row).toMatchObject({READY: '1/1', STATUS: 'Running', RESTARTS: '0'});
			expect(row.AGE).toMatch(/^4\dm$/);
		}
	});

	it('uses the context namespace by default and staging when asked', async () => {
		const out = await t.kubectl(['get', 'pods']);
		expect(parseTable(out.stdout)).toHaveLength(3);
		const staging = await t.kubectl(['get', 'pods', '-n', 'overlord-staging']);
		expect(parseTable(staging.stdout)).toHaveLength(3);
	});

	it('lists deployments, replicasets, services and namespaces', async () => {
		const deploy = parseTable((await t.kubectl(['get', 'deploy', '-n', NS])).stdout);
		expect(deploy).toEqual([expect.objectContaining({NAME: 'overlord', READY: '3/3', 'UP-TO-DATE': '3', AVAILABLE: '3'})]);
		const rs = parseTable((await t.kubectl(['get', 'rs', '-n', NS])).stdout);
		expect(rs).toEqual([expect.objectContaining({DESIRED: '3', CURRENT: '3', READY: '3'})]);
		expect(rs[0]!.NAME).toMatch(/^overlord-\w+$/);
		const svcOut = await t.kubectl(['get', 'svc', '-n', NS]);
		expect(svcOut.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
		const svcRow = parseTable(svcOut.stdout)[0]!;
		expect(svcRow).toMatchObject({NAME: 'overlord', TYPE: 'LoadBalancer', 'PORT(S)': '8000:31800/TCP'});
		// Both addresses come from the sandbox's own loopback block, where the Service answers.
		const block = t.cluster.serviceCidr.replace(/\.0\/24$/, '.');
		expect(svcRow['CLUSTER-IP']!.startsWith(block) && svcRow['EXTERNAL-IP']!.startsWith(block)).toBe(true);
		expect(svcRow['CLUSTER-IP']).not.toBe(svcRow['EXTERNAL-IP']);
		const ns = parseTable((await t.kubectl(['get', 'ns'])).stdout).map(r => r.NAME);
		expect(ns).toEqual(expect.arrayContaining(['overlord-staging', 'overlord-production']));
		const nodes = parseTable((await t.kubectl(['get', 'nodes'])).stdout);
		expect(nodes[0]).toMatchObject({NAME: 'sandbox-node-1', STATUS: 'Ready'});
	});

	it('gets the service ingress IP with jsonpath, as the guide does', async () => {
		const out = await t.kubectl(['get', 'svc', 'overlord', '-n', NS, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
		expect(out.stdout).toMatch(/^127\.\d+\.\d+\.\d+$/);
		expect(out.stdout.startsWith(t.cluster.serviceCidr.replace(/0\/24$/, ''))).toBe(true);
	});

	it('returns full pod objects with -o json and filters by label', async () => {
		const out = await t.kubectl(['get', 'pods', '-n', NS, '-o', 'json']);
		const list = JSON.parse(out.stdout);
		expect(list.items).toHaveLength(3);
		const pod = list.items[0];
		expect(pod.metadata).toMatchObject({namespace: NS, labels: {app: 'overlord'}});
		expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
		expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(0);
		expect(pod.metadata.ownerReferences[0]).toMatchObject({kind: 'ReplicaSet', controller: true});
		expect(pod.spec.containers[0]).toMatchObject({name: 'overlord', image: `${IMAGE}:v1.1.0`});
		expect(pod.status.containerStatuses[0]).toMatchObject({ready: true, restartCount: 0});
		const labelled = await t.kubectl(['get', 'pods', '-n', NS, '-l', 'app=overlord', '-o', 'name']);
		expect(labelled.stdout.trim().split('\n')).toHaveLength(3);
		const none = await t.kubectl(['get', 'pods', '-n', NS, '-l', 'app in (nothing),tier!=x']);
		expect(none.stderr).toContain('No resources found');
	});

	it('prints logs for pods by label with --tail', async () => {
		const out = await t.kubectl(['logs', '-l', 'app=overlord', '-n', NS, '--tail=100']);
		expect(out.exitCode, out.stderr).toBe(0);
		const lines = out.stdout.trim().split('\n');
		expect(lines).toHaveLength(300);
		expect(out.stdout).toContain('GET /health HTTP/1.1" 200 OK');
		expect(out.stdout).not.toMatch(/error/i);
		const one = await t.kubectl(['logs', '-l', 'app=overlord', '-n', NS, '--tail=5', '--prefix']);
		expect(one.stdout.trim().split('\n')).toHaveLength(15);
		expect(one.stdout).toMatch(/^\[pod\/overlord-\S+\/overlord\] /m);
	});

	it('follows logs until the client stops', async () => {
		const [pod] = (await t.kubectl(['get', 'pods', '-n', NS, '-o', 'name'])).stdout.trim().split('\n');
		// speed 10: a steady line every 0.5 s.
		const out = await t.kubectl(['logs', '-f', pod!, '-n', NS, '--tail=1'], {timeoutMs: 1800});
		const lines = out.stdout.trim().split('\n');
		expect(lines.length).toBeGreaterThanOrEqual(3);
		const all = await t.kubectl(['logs', '-f', '-l', 'app=overlord', '-n', NS, '--all-containers=true', '--tail=2'], {timeoutMs: 1200});
		expect(all.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(6);
	});

	it('answers kubectl top from metrics.k8s.io', async () => {
		const pods = await t.kubectl(['top', 'pods', '-n', NS]);
		expect(pods.exitCode, pods.stderr).toBe(0);
		const rows = parseTable(pods.stdout);
		expect(rows).toHaveLength(3);
		for (const row of rows) {
			expect(row['CPU(cores)']).toMatch(/^\d+m$/);
			expect(row['MEMORY(bytes)']).toMatch(/^\d+Mi$/);
		}
		const nodes = parseTable((await t.kubectl(['top', 'nodes'])).stdout);
		expect(nodes[0]).toMatchObject({NAME: 'sandbox-node-1'});
		expect(nodes[0]!['CPU(%)']).toMatch(/^\d+%$/);
	});

	it('runs the guide\'s exec checks over the WebSocket exec protocol', async () => {
		const alembic = await t.kubectl(['exec', '-it', 'deployment/overlord', '-n', NS, '--', 'alembic', 'current']);
		expect(alembic.exitCode, alembic.stderr).toBe(0);
		expect(alembic.stdout).toMatch(/^[0-9a-f]{12} \(head\)$/m);
		const python = await t.kubectl(['exec', 'deployment/overlord', '-n', NS, '--', 'python', '-c', "print(db.execute('SELECT COUNT(*) FROM trades'))"]);
		expect(python.stdout).toContain('Trades table accessible:');
		const unknown = await t.kubectl(['exec', 'deployment/overlord', '-n', NS, '--', 'ls', '/']);
		expect(unknown.exitCode).toBe(127);
		expect(unknown.stderr).toContain('not simulated');
	});

	it('lists events sorted by lastTimestamp', async () => {
		const out = await t.kubectl(['get', 'events', '-n', NS, '--sort-by=.lastTimestamp']);
		expect(out.exitCode, out.stderr).toBe(0);
		expect(out.stdout.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
		const rows = parseTable(out.stdout);
		const reasons = new Set(rows.map(r => r.REASON));
		for (const r of ['Scheduled', 'Pulled', 'Created', 'Started', 'ScalingReplicaSet', 'SuccessfulCreate']) expect(reasons).toContain(r);
		expect(rows.find(r => r.REASON === 'ScalingReplicaSet')!.OBJECT).toBe('deployment/overlord');
		const stamps = await t.kubectl(['get', 'events', '-n', NS, '--sort-by=.lastTimestamp', '-o', 'jsonpath={range .items[*]}{.lastTimestamp}{"\\n"}{end}']);
		const times = stamps.stdout.trim().split('\n');
		expect(times).toHaveLength(rows.length);
		expect(times).toEqual([...times].sort());
		const filtered = await t.kubectl(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=overlord', '-o', 'name']);
		expect(filtered.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(1);
	});

	it('describes the deployment and answers NotFound like a real server', async () => {
		const described = await t.kubectl(['describe', 'deployment', 'overlord', '-n', NS]);
		expect(described.stdout).toMatch(/Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/);
		expect(described.stdout).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
		const missing = await t.kubectl(['get', 'pod', 'nope', '-n', NS]);
		expect(missing.exitCode).toBe(1);
		expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
		const version = await t.kubectl(['version', '-o', 'json']);
		expect(JSON.parse(version.stdout).serverVersion.gitVersion).toMatch(/^v1\.32/);
	});
});
