// The sandbox GitHub's state types, constants and deterministic identifiers. Ids and shas are
// derived from fixed seeds and counters, so two sandboxes started alike hand out the same values;
// only timestamps are real.
import {createHash} from 'node:crypto';

export const OWNER = 'legion14041981-ui';
export const REPO_NAME = 'overlord-trading-system-v8';
export const FULL_NAME = `${OWNER}/${REPO_NAME}`;
export const HTML_BASE = 'https://github.com';
export const REPO_HTML = `${HTML_BASE}/${FULL_NAME}`;
export const IMAGE = `ghcr.io/${OWNER}/${REPO_NAME}`;
export const REPO_ID = 812_345_678;
export const OWNER_ID = 141_998_001;
export const CI_WORKFLOW_ID = 98_765_001;
export const ROLLBACK_WORKFLOW_ID = 98_765_002;
export const FIRST_RUN_ID = 11_204_000_001;
export const FIRST_JOB_ID = 31_250_000_001;
export const FIRST_PULL_NUMBER = 42;
export const PULL_ID_BASE = 1_934_000_000;
export const REVIEW_ID_BASE = 2_105_000_000;
export const ACTIONS_APP = {id: 15_368, slug: 'github-actions', name: 'GitHub Actions'};

/** A stable 40-hex sha for a label, like a git object id. */
export function sha(label: string): string {
	return createHash('sha1').update(`overlord-sandbox:${label}`).digest('hex');
}

export function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** GitHub Actions log timestamps carry seven fractional digits. */
export function logStamp(ms: number): string {
	return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}

export function nodeId(prefix: string, id: number | string): string {
	return `${prefix}_kw${createHash('sha1').update(`${prefix}:${id}`).digest('base64url').slice(0, 18)}`;
}

export interface User {
	login: string;
	id: number;
	name: string;
	token: string;
	scopes: string[];
	rate: {limit: number; remaining: number; reset: number; used: number};
}

export interface Commit {
	sha: string;
	message: string;
	parents: string[];
	/** The author's login (their noreply address), else their name. */
	author: string;
	date: number;
	tree: string;
	/** The author's name and address as the commit carries them. */
	authorIdentity?: {name: string; email: string};
	/** Who wrote the commit object: GitHub itself for a merge made by the button, else the author. */
	committer?: {name: string; email: string};
}

export interface Review {
	id: number;
	user: string;
	state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';
	body: string;
	submittedAt: number;
	commitId: string;
}

export interface Pull {
	number: number;
	id: number;
	title: string;
	body: string;
	head: string;
	headSha: string;
	base: string;
	baseSha: string;
	author: string;
	state: 'open' | 'closed';
	merged: boolean;
	mergedAt?: number;
	mergeCommitSha?: string;
	mergedBy?: string;
	createdAt: number;
	updatedAt: number;
	closedAt?: number;
	reviews: Review[];
}

export interface Environment {
	id: number;
	name: string;
	reviewers: string[];
	createdAt: number;
}

export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'neutral' | 'timed_out' | null;

export interface Step {
	name: string;
	number: number;
	status: 'queued' | 'in_progress' | 'completed';
	conclusion: Conclusion;
	startedAt?: number;
	completedAt?: number;
}

export interface Job {
	id: number;
	runId: number;
	name: string;
	status: RunStatus;
	conclusion: Conclusion;
	createdAt: number;
	startedAt?: number;
	completedAt?: number;
	steps: Step[];
	log: string[];
	environment?: string;
	runnerName?: string;
}

export interface PendingDeployment {
	environmentId: number;
	jobId: number;
	since: number;
	decide(state: 'approved' | 'rejected', user: string, comment: string): void;
}

export interface Run {
	id: number;
	runNumber: number;
	workflowId: number;
	event: 'push' | 'pull_request' | 'workflow_dispatch';
	headBranch: string;
	headSha: string;
	displayTitle: string;
	actor: string;
	status: RunStatus;
	conclusion: Conclusion;
	createdAt: number;
	updatedAt: number;
	runStartedAt: number;
	jobs: Job[];
	pending: PendingDeployment[];
	inputs?: Record<string, string>;
	/** The release tag a CI/CD run deploys (from the merged release branch). */
	version?: string;
}

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record<string, unknown>,
		readonly headers: Record<string, string> = {},
	) {
		super(String(body.message ?? status));
	}
}

const DOCS = 'https://docs.github.com/rest';

export function apiError(status: number, message: string, docPath = '', extra: Record<string, unknown> = {}): HttpError {
	return new HttpError(status, {message, ...extra, documentation_url: `${DOCS}${docPath}`, status: String(status)});
}

export function notFound(): HttpError {
	return apiError(404, 'Not Found');
}

/** GitHub's schema-validation wording: `Invalid request.\n\n<detail>`. */
export function invalid(detail: string, docPath = ''): HttpError {
	return apiError(422, `Invalid request.\n\n${detail}`, docPath);
}

export function validationFailed(errors: unknown[], docPath = ''): HttpError {
	return apiError(422, 'Validation Failed', docPath, {errors});
}
