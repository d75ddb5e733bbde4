// Executes workflow runs: jobs start when their needs finish, steps take their simulated time
// (divided by `speed`), a job bound to a protected environment waits for a review, and the
// deploy steps really set the image on the sandbox cluster and follow the rollout.
import {setTimeout as sleep} from 'node:timers/promises';
import {followRollout, type KubeTarget, setImage} from './kube.js';
import {type Conclusion, IMAGE, type Job, logStamp, type Run} from './model.js';
import {OPERATOR, type RunRecord, type World} from './world.js';
import type {JobSpec, StepAction, StepSpec, WorkflowSpec} from './workflows.js';

export interface RunnerOptions {
	speed: number;
	/** The cluster the deploy steps act on; without one they only pretend. */
	kube?: Promise<KubeTarget>;
	/** Without a cluster, `bad-release` makes a pretend rollout of v1.2.0 miss its deadline. */
	scenario?: 'default' | 'bad-release';
}

interface StepContext {
	run: Run;
	job: Job;
	log(line: string): void;
}

function refresh(run: Run): void {
	const jobs = run.jobs;
	if (jobs.some(j => j.status === 'waiting')) run.status = 'waiting';
	else if (jobs.every(j => j.status === 'completed')) {
		run.status = 'completed';
		run.conclusion = jobs.some(j => j.conclusion === 'failure') ? 'failure'
			: jobs.some(j => j.conclusion === 'cancelled') ? 'cancelled' : 'success';
	} else if (jobs.some(j => j.status !== 'queued')) run.status = 'in_progress';
	run.updatedAt = Date.now();
}

function namespaceOf(run: Run): string {
	return `overlord-${run.inputs?.environment ?? 'production'}`;
}

function versionOf(run: Run): string {
	return run.inputs?.target_version ?? run.version ?? 'latest';
}

function skip(job: Job, at: number): void {
	job.status = 'completed';
	job.conclusion = 'skipped';
	job.startedAt = at;
	job.completedAt = at;
}

/** A step's script as Actions prints it: folded under its first line. */
function logGroup(log: (line: string) => void, command: string) {
	log(`##[group]Run ${command}`);
	log(command);
	log('##[endgroup]');
}

export class Runner {
	private readonly abort = new AbortController();
	private readonly active = new Set<Promise<void>>();
	private jobSerial = 0;

	constructor(private readonly world: World, private readonly options: RunnerOptions) {}

	private ms(seconds: number): number {
		return (seconds * 1000) / this.options.speed;
	}

	start(run: RunRecord, spec: WorkflowSpec, delaySeconds = 1): void {
		const p = this.execute(run, spec, delaySeconds).catch(() => {});
		this.active.add(p);
		void p.finally(() => this.active.delete(p));
	}

	/**
	 * Carries on a run a previous sandbox left unfinished: finished jobs stay, a job awaiting review awaits it again,
	 * and a job cut off mid-way runs again from its first step (as a re-run on a new runner would).
	 */
	resume(run: RunRecord, spec: WorkflowSpec): void {
		run.pending = [];
		for (const job of run.jobs) {
			if (job.status === 'completed') continue;
			if (job.status === 'in_progress') job.log.push(`${logStamp(Date.now())} ##[warning]The runner was lost (the sandbox restarted); the job runs again.`);
			job.status = 'queued';
		}
		this.start(run, spec, 0);
	}

	/** Calls `fn` after `seconds` of simulated time, unless the sandbox stops first. */
	later(seconds: number, fn: () => void): void {
		const p = sleep(this.ms(seconds), undefined, {signal: this.abort.signal}).then(fn).catch(() => {});
		this.active.add(p);
		void p.finally(() => this.active.delete(p));
	}

	async stop(): Promise<void> {
		this.abort.abort();
		await Promise.allSettled([...this.active]);
	}

	private async execute(run: RunRecord, spec: WorkflowSpec, delaySeconds: number): Promise<void> {
		const signal = this.abort.signal;
		await sleep(this.ms(delaySeconds), undefined, {signal});
		const done = new Map<string, Promise<void>>();
		spec.jobs.forEach((jobSpec, i) => {
			const job = run.jobs[i]!;
			done.set(jobSpec.name, (async () => {
				await Promise.all(jobSpec.needs.map(n => done.get(n)));
				if (job.status !== 'completed') await this.runJob(run, job, jobSpec);
			})());
		});
		await Promise.all(done.values());
	}

	private async runJob(run: RunRecord, job: Job, spec: JobSpec): Promise<void> {
		const needs = spec.needs.map(n => run.jobs.find(j => j.name === n)!);
		if (needs.some(n => n.conclusion === 'failure' || n.conclusion === 'cancelled') || (spec.when && !spec.when(run))) {
			skip(job, Date.now());
			refresh(run);
			return;
		}
		const envName = spec.environment?.(run);
		const env = envName ? this.world.environment(envName) : undefined;
		if (env && env.reviewers.length > 0) {
			job.status = 'waiting';
			job.environment = env.name;
			refresh(run);
			const decision = await new Promise<'approved' | 'rejected'>((resolve, reject) => {
				const onAbort = () => reject(new Error('stopped'));
				this.abort.signal.addEventListener('abort', onAbort, {once: true});
				run.pending.push({
					environmentId: env.id, jobId: job.id, since: Date.now(),
					decide: state => {
						run.pending = run.pending.filter(p => p.jobId !== job.id);
						this.abort.signal.removeEventListener('abort', onAbort);
						resolve(state);
					},
				});
			});
			if (decision === 'rejected') {
				job.status = 'completed';
				job.conclusion = 'failure';
				job.startedAt = job.completedAt = Date.now();
				refresh(run);
				return;
			}
			job.status = 'queued';
			refresh(run);
		}
		await this.steps(run, job, spec.steps);
	}

	private async steps(run: RunRecord, job: Job, specs: StepSpec[]): Promise<void> {
		const signal = this.abort.signal;
		job.status = 'in_progress';
		job.startedAt = Date.now();
		job.runnerName = `GitHub Actions ${1000 + (++this.jobSerial % 900)}`;
		job.steps = specs.map((s, i) => ({name: s.name, number: i + 1, status: 'queued', conclusion: null}));
		refresh(run);
		const log = (line: string) => job.log.push(`${logStamp(Date.now())} ${line}`);
		let failed = false;
		for (const [i, spec] of specs.entries()) {
			const step = job.steps[i]!;
			const last = i === specs.length - 1;
			if (failed && !last) {
				step.status = 'completed';
				step.conclusion = 'skipped';
				continue;
			}
			step.status = 'in_progress';
			step.startedAt = Date.now();
			refresh(run);
			if (spec.command) logGroup(log, spec.command);
			await sleep(this.ms(spec.seconds), undefined, {signal});
			for (const line of spec.output ?? []) log(line);
			let ok = true;
			if (spec.action) {
				try {
					ok = await this.act(spec.action, {run, job, log});
				} catch (error) {
					if (signal.aborted) throw error;
					log(`error: ${error instanceof Error ? error.message : String(error)}`);
					ok = false;
				}
				if (!ok) log('##[error]Process completed with exit code 1.');
			}
			step.status = 'completed';
			step.conclusion = ok ? 'success' : 'failure';
			step.completedAt = Date.now();
			failed ||= !ok;
			refresh(run);
		}
		job.status = 'completed';
		job.conclusion = failed ? 'failure' : 'success';
		job.completedAt = Date.now();
		refresh(run);
	}

	private async act(action: StepAction, {run, log}: StepContext): Promise<boolean> {
		const ns = namespaceOf(run);
		const version = versionOf(run);
		const image = `${IMAGE}:${version}`;
		const signal = this.abort.signal;
		const kube = this.options.kube ? await this.options.kube : undefined;
		switch (action) {
			case 'verify-tag': {
				log(`##[group]Run git rev-parse --verify refs/tags/${version}`);
				log('##[endgroup]');
				const tag = this.world.tags.get(version);
				if (!tag) {
					log(`fatal: Needed a single revision: ${version} is not a release tag`);
					return false;
				}
				log(tag);
				return true;
			}
			case 'set-image': {
				const command = `kubectl set image deployment/overlord overlord=${image} -n ${ns}`;
				logGroup(log, command);
				if (kube) await setImage(kube, ns, 'overlord', 'overlord', image, signal);
				log(`deployment.apps/overlord image updated${kube ? '' : ' (no sandbox cluster attached: simulated)'}`);
				return true;
			}
			case 'rollout-status': {
				const command = `kubectl rollout status deployment/overlord -n ${ns} --timeout=10m`;
				logGroup(log, command);
				if (!kube) {
					log('Waiting for deployment "overlord" rollout to finish: 1 out of 3 new replicas have been updated...');
					if (this.options.scenario === 'bad-release' && version === 'v1.2.0') {
						await sleep(this.ms(30), undefined, {signal});
						log('error: deployment "overlord" exceeded its progress deadline');
						return false;
					}
					log('deployment "overlord" successfully rolled out');
					return true;
				}
				return followRollout(kube, ns, 'overlord', {
					signal,
					intervalMs: Math.max(50, 1000 / this.options.speed),
					timeoutMs: Math.max(60_000, 600_000 / this.options.speed),
					onMessage: log,
				});
			}
		}
	}

	/** Fills a run that finished in the past: every job green (or skipped), reviews by the operator. */
	replay(run: RunRecord, spec: WorkflowSpec, startedAt: number, secondsScale = 40): void {
		let clock = startedAt + 5000;
		const finished = new Map<string, number>();
		spec.jobs.forEach((jobSpec, i) => {
			const job = run.jobs[i]!;
			const begin = Math.max(clock, ...jobSpec.needs.map(n => finished.get(n) ?? clock));
			if (jobSpec.when && !jobSpec.when(run)) {
				skip(job, begin);
				finished.set(jobSpec.name, begin);
				return;
			}
			let t = begin + 2000;
			job.startedAt = t;
			job.runnerName = `GitHub Actions ${1000 + (++this.jobSerial % 900)}`;
			job.steps = jobSpec.steps.map((s, n) => {
				const step = {name: s.name, number: n + 1, status: 'completed' as const, conclusion: 'success' as Conclusion, startedAt: t, completedAt: t + s.seconds * secondsScale * 1000};
				job.log.push(`${logStamp(t)} ${s.command ? `##[group]Run ${s.command}` : s.name}`);
				for (const line of s.output ?? []) job.log.push(`${logStamp(t)} ${line}`);
				t = step.completedAt;
				return step;
			});
			job.status = 'completed';
			job.conclusion = 'success';
			job.completedAt = t;
			finished.set(jobSpec.name, t);
			if (jobSpec.environment) {
				job.environment = jobSpec.environment(run);
				const env = this.world.environment(job.environment);
				if (env?.reviewers.length) run.reviews.push({user: OPERATOR, state: 'approved', comment: 'Approved for production deployment', environmentIds: [env.id], at: begin + 1000});
			}
			clock = Math.min(clock, begin);
		});
		run.status = 'completed';
		run.conclusion = 'success';
		run.runStartedAt = startedAt;
		run.updatedAt = Math.max(...finished.values());
	}
}
