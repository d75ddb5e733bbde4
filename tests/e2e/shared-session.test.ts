// A team shares one session through the cluster: two real app processes in real terminals against the sandbox's API
// server. The follower sees each tick within a second; the wheel is handed over on request; when the driver is killed
// (-9) the follower takes over once the lease runs out, with every event the driver had published; a follower keeps
// up through a dropped watch and a 410; a missing permission stops --share with one line naming it.
import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';
import {startTestCluster, type TestCluster} from '../sandbox/helpers.js';

const UNSET = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];

const RUNBOOK = `---
namespace: warehouse
---
# Warehouse release drill

A drill of our own, shared with the team.

## Step 1: Announce

- [ ] Tell the channel
- [ ] Freeze merges
- [ ] Page the on-call

## Step 2: Ship

\`\`\`bash
sleep 8; echo shipped-for-real
\`\`\`

- [ ] Watch the dashboard
`;

let cluster: TestCluster;
afterEach(() => Terminal.stopAll());
beforeAll(async () => {
  cluster = await startTestCluster({speed: 10});
}, 60_000);
afterAll(() => cluster?.close());

function place(name: string) {
  const home = tempDir(`share-${name}`);
  writeFileSync(join(home, 'drill.md'), RUNBOOK);
  return {home, stateDir: join(home, 'state'), file: join(home, 'drill.md')};
}

const envFor = (home: string) => ({HOME: home, KUBECONFIG: cluster.cluster.kubeconfigPath});

async function sharedIds(home: string): Promise<Array<{id: string; holder: string; events: number}>> {
  const out = await execa(process.execPath, [CLI, 'status', '--cluster', '--json'], {env: envFor(home)});
  return JSON.parse(out.stdout);
}

async function startDriver(name: string, extra: Record<string, string> = {}) {
  const p = place(name);
  const t = new Terminal([p.file, '--share', '--state-dir', p.stateDir], {size: '120x40', env: {...envFor(p.home), ...extra}, unset: UNSET});
  await t.wait('SHARED · you drive', 30);
  // The checklist is on the first step after the runbook's introduction.
  t.keys('Right');
  await t.wait('▶ \\[ \\] Tell the channel');
  const sessions = await sharedIds(p.home);
  const mine = sessions.find(s => s.holder.includes(`/`))!;
  return {...p, t, id: mine.id};
}

async function startFollower(name: string, id: string, extra: Record<string, string> = {}) {
  const p = place(name);
  const t = new Terminal(['join', id, '--state-dir', p.stateDir], {size: '120x40', env: {...envFor(p.home), ...extra}, unset: UNSET});
  await t.wait('FOLLOWING \\S+ · read-only', 30);
  // A follower's screen goes where the driver is.
  await t.wait('▸. Step 1: Announce');
  return {...p, t};
}

/** ms from the key on the driver to the tick on the follower's screen. */
async function tickSeen(driver: Terminal, follower: Terminal, item: string): Promise<number> {
  const before = Date.now();
  driver.keys('Space');
  await follower.wait(`\\[x\\] ${item}`, 5);
  return Date.now() - before;
}

describeNeeds(['kubectl'])('a session shared through the cluster', () => {
  it('follower sees each tick within a second; the wheel is handed over on request', async () => {
    const driver = await startDriver('driver');
    const follower = await startFollower('follower', driver.id);
    await follower.t.wait('Tell the channel');
    const delays = [await tickSeen(driver.t, follower.t, 'Tell the channel')];
    driver.t.keys('Down');
    delays.push(await tickSeen(driver.t, follower.t, 'Freeze merges'));
    expect(Math.max(...delays)).toBeLessThan(1000);

    // The follower may not act: one line says who drives and what T does.
    follower.t.keys('Space');
    await follower.t.wait('read-only — T asks for the wheel');
    follower.t.keys('T');
    await driver.t.wait('asks for the wheel', 10);
    driver.t.keys('T');
    await follower.t.wait('SHARED · you drive', 10);
    await driver.t.wait('FOLLOWING \\S+ · read-only', 10);
    // The new driver ticks the third item; the former driver sees it.
    follower.t.keys('Down', 'Down');
    await sleep(200);
    follower.t.keys('Space');
    await driver.t.wait('\\[x\\] Page the on-call', 5);
    // The new driver's own journal holds the whole session: every tick, whoever made it.
    follower.t.keys('q');
    await follower.t.wait('runbook exited 0');
    const status = JSON.parse((await execa(process.execPath, [CLI, 'status', '--json', '--state-dir', follower.stateDir])).stdout);
    expect(status[0].id).toBe(driver.id);
    expect(status[0].checked).toBe(3);
  }, 120_000);

  it('two terminals on one state directory hand the wheel back and forth, never sharing a journal', async () => {
    const driver = await startDriver('one-checkout');
    const t = new Terminal(['join', driver.id, '--state-dir', driver.stateDir], {size: '120x40', env: envFor(driver.home), unset: UNSET});
    await t.wait('FOLLOWING \\S+ · read-only', 30);
    await tickSeen(driver.t, t, 'Tell the channel');
    t.keys('T');
    await driver.t.wait('asks for the wheel', 10);
    driver.t.keys('T');
    await t.wait('SHARED · you drive', 10);
    t.keys('Down');
    await sleep(200);
    t.keys('Space');
    await driver.t.wait('\\[x\\] Freeze merges', 5);
    driver.t.keys('T');
    await t.wait('asks for the wheel', 10);
    t.keys('T');
    await driver.t.wait('SHARED · you drive', 10);
    driver.t.keys('Down', 'Down');
    await sleep(200);
    driver.t.keys('Space');
    await t.wait('\\[x\\] Page the on-call', 5);
    t.keys('q');
    const last = await t.wait('runbook exited 0');
    // Its own journal, beside the one the other terminal writes (the line wraps at the terminal's width).
    expect(last.replace(/\n/g, '')).toMatch(/your copy: runbook status --state-dir \S+\/state\/shared\/\S+\/state\)/);
    driver.t.keys('q');
    await driver.t.wait('runbook exited 0');
    const status = JSON.parse((await execa(process.execPath, [CLI, 'status', '--json', '--state-dir', driver.stateDir])).stdout);
    expect(status[0].checked).toBe(3);
  }, 90_000);

  it('a rehearsal shared on its own sandbox is followed from another terminal of the same checkout, nothing configured', async () => {
    const p = place('rehearsal');
    const driver = new Terminal(['rehearse', p.file, '--share', '--state-dir', p.stateDir], {size: '120x40', env: {HOME: p.home}, unset: UNSET});
    await driver.wait('REHEARSAL · SHARED · you drive', 40);
    driver.keys('Right');
    const follower = new Terminal(['join', '--state-dir', p.stateDir], {size: '120x40', env: {HOME: p.home}, unset: UNSET});
    await follower.wait('REHEARSAL · FOLLOWING \\S+ · read-only · T asks for the wheel · ctx sandbox', 30);
    await follower.wait('▸. Step 1: Announce');
    expect(await tickSeen(driver, follower, 'Tell the channel')).toBeLessThan(1000);
  }, 90_000);

  it('a command running at hand-over shows as running on its host until its result arrives', async () => {
    const driver = await startDriver('mid-run');
    const follower = await startFollower('next', driver.id);
    driver.t.keys('Right');
    await follower.t.wait('▸. Step 2: Ship');
    driver.t.keys('Enter');
    await driver.t.wait('◐ bash · running');
    follower.t.keys('T');
    await driver.t.wait('asks for the wheel', 10);
    driver.t.keys('T');
    await follower.t.wait('SHARED · you drive', 10);
    // It runs on the former driver's machine; the new driver sees where, then its result.
    const host = (await import('node:os')).hostname();
    await follower.t.wait(`◐ bash · running on ${host}`, 5);
    await follower.t.wait('✓ bash · exit 0', 15);
    follower.t.keys('q');
    await follower.t.wait('runbook exited 0');
    const report = (await execa(process.execPath, [CLI, 'report', driver.id, '--state-dir', follower.stateDir])).stdout;
    expect(report).toMatch(/Ran `sleep 8; echo shipped-for-real`: exit 0/);
  }, 90_000);

  it('kill -9 of the driver: the follower takes the wheel once the lease runs out, with every published event', async () => {
    const driver = await startDriver('killed');
    // An incident is open: its clock goes on under the next driver.
    driver.t.keys('I');
    await driver.t.wait('Declare an incident');
    driver.t.type('P1');
    driver.t.keys('Enter');
    await driver.t.wait('INCIDENT P1 00:0');
    const follower = await startFollower('survivor', driver.id);
    await follower.t.wait('INCIDENT P1 00:\\d\\d · FOLLOWING');
    driver.t.keys('Space');
    driver.t.keys('Down');
    await sleep(100);
    driver.t.keys('Space');
    await follower.t.wait('\\[x\\] Freeze merges', 5);
    // The driver's laptop dies: no release, no goodbye.
    // The node process only (its command line starts with node), not the shell around it.
    execFileSync('pkill', ['-KILL', '-f', '--', `^${process.execPath} .*--state-dir ${driver.stateDir}`]);
    const killedAt = Date.now();
    follower.t.keys('T');
    await follower.t.wait('SHARED · you drive', 25);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(20_000);
    // The incident's clock kept counting from the declaration, not from the takeover; the request was answered.
    expect(follower.t.screen()).toMatch(/INCIDENT P1 00:(1[5-9]|[2-5]\d) · SHARED · you drive/);
    expect(follower.t.screen()).not.toMatch(/asks for the wheel/);
    await follower.t.wait('\\[x\\] Tell the channel');
    await follower.t.wait('\\[x\\] Freeze merges');
    follower.t.keys('q');
    await follower.t.wait('runbook exited 0');
    const report = (await execa(process.execPath, [CLI, 'report', driver.id, '--state-dir', follower.stateDir])).stdout;
    expect(report).toMatch(/Tell the channel/);
    expect(report).toMatch(/Took the wheel/);
  }, 120_000);

  it('a driver cut off from the cluster stops writing at once; what it could not publish waits as a branch the new driver accepts', async () => {
    // A 4 s lease (renew deadline ~2.7 s) keeps the partition short; the algorithm is the same as with 15 s.
    const short = {RUNBOOK_SHARE_LEASE_SECONDS: '4'};
    const driver = await startDriver('partitioned', short);
    const follower = await startFollower('standby', driver.id, short);
    expect(await tickSeen(driver.t, follower.t, 'Tell the channel')).toBeLessThan(1000);
    // The driver's side of a partition: none of its writes reach the cluster any more.
    for (const resource of ['configmaps', 'leases']) cluster.cluster.faults.apply({fault: 'deny', resource, verbs: ['create', 'update', 'patch'], namespace: 'runbook-sessions'});
    try {
      driver.t.keys('Down');
      await sleep(100);
      driver.t.keys('Space');
      await driver.t.wait('\\[x\\] Freeze merges');
      // Its lease could not be renewed: it stops, and says so.
      await driver.t.wait('WHEEL LOST', 15);
      driver.t.keys('Down', 'Space');
      await driver.t.wait('You lost the wheel');
      await sleep(500);
      expect(follower.t.screen()).toMatch(/\[ \] Freeze merges/);
    } finally {
      cluster.cluster.faults.apply({fault: 'clear'});
    }
    // The partition heals; the lease has run out: the follower takes the wheel and sees the driver's branch.
    follower.t.keys('T');
    await follower.t.wait('SHARED · you drive', 15);
    await follower.t.wait('1 events on a branch \\(B\\)', 15);
    follower.t.keys('B');
    await follower.t.wait('Accepted 1 event from');
    await follower.t.wait('\\[x\\] Freeze merges');
    // The former driver follows now, and sees its own tick come back through the log.
    await driver.t.wait('FOLLOWING', 10);
    follower.t.keys('q');
    await follower.t.wait('runbook exited 0');
    const status = JSON.parse((await execa(process.execPath, [CLI, 'status', '--json', '--state-dir', follower.stateDir])).stdout);
    expect(status[0].checked).toBe(2);
  }, 120_000);

  it('a driver ended by SIGTERM gives the lease back: the follower may take the wheel at once', async () => {
    const driver = await startDriver('terminated');
    const follower = await startFollower('on-call', driver.id);
    execFileSync('pkill', ['-TERM', '-f', '--', `^${process.execPath} .*--state-dir ${driver.stateDir}`]);
    await driver.t.wait('runbook exited 143', 15);
    await follower.t.wait('FOLLOWING · nobody drives · T takes the wheel', 10);
    const asked = Date.now();
    follower.t.keys('T');
    await follower.t.wait('SHARED · you drive', 10);
    expect(Date.now() - asked).toBeLessThan(5000);
  }, 60_000);

  it('a follower keeps up through a dropped watch and a 410', async () => {
    const driver = await startDriver('flaky');
    const follower = await startFollower('patient', driver.id);
    cluster.cluster.faults.apply({fault: 'drop-watches'});
    await sleep(300);
    expect(await tickSeen(driver.t, follower.t, 'Tell the channel')).toBeLessThan(5000);
    cluster.cluster.faults.apply({fault: 'expire-history'});
    cluster.cluster.faults.apply({fault: 'drop-watches'});
    driver.t.keys('Down');
    await sleep(100);
    expect(await tickSeen(driver.t, follower.t, 'Freeze merges')).toBeLessThan(5000);
  }, 90_000);

  it('without the permissions, --share says in one line which verbs are missing; --print-rbac prints the Role', async () => {
    const p = place('denied');
    cluster.cluster.faults.apply({fault: 'deny', resource: 'leases', verbs: ['create', 'update'], namespace: 'runbook-sessions'});
    try {
      const t = new Terminal([p.file, '--share', '--state-dir', p.stateDir], {size: '120x40', env: envFor(p.home), unset: UNSET});
      const screen = await t.wait('runbook exited 1', 30);
      const line = screen.split('\n').find(l => l.includes('cannot share'))!;
      expect(line).toMatch(/missing leases: create, update/);
      expect(line).toMatch(/--print-rbac/);
    } finally {
      cluster.cluster.faults.apply({fault: 'clear'});
    }
    const rbac = (await execa(process.execPath, [CLI, 'share', '--print-rbac', '--for', 'alice'])).stdout;
    expect(rbac).toMatch(/kind: Role\n/);
    expect(rbac).toMatch(/resources: \["leases"\]/);
    expect(rbac).toMatch(/name: "alice"/);
  }, 60_000);
});
