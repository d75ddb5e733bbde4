// The two workflows of the guide's repository, as data: jobs, their needs, steps with simulated
// durations (seconds at speed 1) and canned log output. Actions that touch the cluster are named
// by `action` and carried out by the runner.
import {CI_WORKFLOW_ID, ROLLBACK_WORKFLOW_ID, type Run} from './model.js';

export type StepAction = 'set-image' | 'rollout-status' | 'verify-tag';

export interface StepSpec {
	name: string;
	seconds: number;
	/** The `Run …` line and the output lines of the step. */
	command?: string;
	output?: string[];
	action?: StepAction;
}

export interface JobSpec {
	name: string;
	needs: string[];
	steps: StepSpec[];
	/** An environment with protection rules makes the job wait for a review. */
	environment?: (run: Run) => string;
	/** `if:` — false skips the job. */
	when?: (run: Run) => boolean;
}

export interface InputSpec {
	required: boolean;
	options?: string[];
	pattern?: RegExp;
	description: string;
}

export interface WorkflowSpec {
	id: number;
	name: string;
	file: string;
	/** `run-name:`; defaults to the head commit's title. */
	runName?: (inputs: Record<string, string>) => string;
	inputs?: Record<string, InputSpec>;
	jobs: JobSpec[];
}

const setUp: StepSpec = {name: 'Set up job', seconds: 1, output: ['Current runner version: \'2.321.0\'', 'Operating System', '  Ubuntu', '  22.04.5', 'Runner Image', '  Image: ubuntu-22.04']};
const checkout: StepSpec = {name: 'Checkout code', seconds: 1, command: 'actions/checkout@v4', output: ['Syncing repository: legion14041981-ui/overlord-trading-system-v8', 'Checking out the ref']};
const complete: StepSpec = {name: 'Complete job', seconds: 0.5, output: ['Cleaning up orphan processes']};
const onMain = (run: Run) => run.headBranch === 'main' && run.event === 'push';

export const CI_CD: WorkflowSpec = {
	id: CI_WORKFLOW_ID,
	name: 'CI/CD Full Cycle',
	file: 'ci-cd-full-cycle.yml',
	jobs: [
		{
			name: 'Quality Gates', needs: [], steps: [
				setUp, checkout,
				{name: 'Set up Python 3.11', seconds: 1, command: 'actions/setup-python@v5', output: ['Successfully set up CPython (3.11.9)']},
				{name: 'Lint (ruff)', seconds: 2, command: 'ruff check .', output: ['All checks passed!']},
				{name: 'Type check (mypy)', seconds: 2, command: 'mypy src/', output: ['Success: no issues found in 214 source files']},
				{name: 'Coverage gate', seconds: 1, command: 'pytest --cov=src --cov-fail-under=85 -q', output: ['Required test coverage of 85% reached. Total coverage: 87.31%']},
				complete,
			],
		},
		{
			name: 'Security Scanning', needs: ['Quality Gates'], steps: [
				setUp, checkout,
				{name: 'Bandit', seconds: 1, command: 'bandit -r src -ll', output: ['No issues identified.']},
				{name: 'Dependency audit', seconds: 1, command: 'pip-audit -r requirements.txt', output: ['No known vulnerabilities found']},
				{name: 'Trivy filesystem scan', seconds: 2, command: 'trivy fs --severity HIGH,CRITICAL .', output: ['Total: 0 (HIGH: 0, CRITICAL: 0)']},
				complete,
			],
		},
		{
			name: 'Unit Tests', needs: ['Quality Gates'], steps: [
				setUp, checkout,
				{name: 'Install dependencies', seconds: 1, command: 'pip install -r requirements-dev.txt', output: ['Successfully installed 87 packages']},
				{name: 'Run unit tests', seconds: 2, command: 'pytest tests/unit -q', output: ['1284 passed in 41.27s']},
				complete,
			],
		},
		{
			name: 'Integration Tests', needs: ['Security Scanning', 'Unit Tests'], steps: [
				setUp, checkout,
				{name: 'Start PostgreSQL and Redis', seconds: 1, command: 'docker compose -f docker-compose.test.yml up -d', output: ['Container postgres  Healthy', 'Container redis  Healthy']},
				{name: 'Run integration tests', seconds: 2, command: 'pytest tests/integration -q', output: ['212 passed in 96.02s']},
				complete,
			],
		},
		{
			name: 'E2E Tests', needs: ['Integration Tests'], when: onMain, steps: [
				setUp, checkout,
				{name: 'Start the stack', seconds: 1, command: 'docker compose up -d --wait', output: ['Container overlord  Healthy']},
				{name: 'Run E2E suite', seconds: 3, command: 'pytest tests/e2e -q', output: ['58 passed in 302.44s']},
				complete,
			],
		},
		{
			name: 'Docker Build', needs: ['Integration Tests', 'E2E Tests'], steps: [
				setUp, checkout,
				{name: 'Set up Docker Buildx', seconds: 1, command: 'docker/setup-buildx-action@v3'},
				{name: 'Log in to ghcr.io', seconds: 0.5, command: 'docker/login-action@v3', output: ['Login Succeeded!']},
				{name: 'Build and push image', seconds: 2, command: 'docker/build-push-action@v6', output: ['#12 exporting to image', '#12 pushing layers done']},
				complete,
			],
		},
		{
			name: 'Production Deployment', needs: ['Docker Build'], when: onMain, environment: () => 'production', steps: [
				setUp, checkout,
				{name: 'Pre-deployment checks', seconds: 1, command: './scripts/pre-deploy-check.sh production', output: ['✓ Cluster connectivity', '✓ Namespace access', '✓ Database connection', '✓ Redis connection']},
				{name: 'Update image', seconds: 0.5, action: 'set-image'},
				{name: 'Wait for rollout', seconds: 0.5, action: 'rollout-status'},
				{name: 'Health checks', seconds: 1, command: 'curl -fsS https://api.overlord.example/health', output: ['{"status":"healthy"}']},
				{name: 'Smoke tests', seconds: 1, command: './scripts/smoke-tests.sh production', output: ['✓ All 10 smoke tests passed']},
				{name: 'Slack notification', seconds: 0.5, command: 'slackapi/slack-github-action@v1', output: ['Posted to #overlord-deployments']},
				complete,
			],
		},
	],
};

export const ROLLBACK: WorkflowSpec = {
	id: ROLLBACK_WORKFLOW_ID,
	name: 'Rollback',
	file: 'rollback.yml',
	runName: inputs => `Rollback ${inputs.environment ?? ''} to ${inputs.target_version ?? ''}`,
	inputs: {
		environment: {required: true, options: ['staging', 'production'], description: 'Environment to roll back'},
		target_version: {required: true, pattern: /^v\d+\.\d+\.\d+$/, description: 'Release tag to roll back to (e.g. v1.1.0)'},
	},
	jobs: [
		{
			name: 'Rollback', needs: [], steps: [
				setUp, checkout,
				{name: 'Verify target version', seconds: 0.5, action: 'verify-tag'},
				{name: 'Roll back deployment', seconds: 0.5, action: 'set-image'},
				{name: 'Wait for rollout', seconds: 0.5, action: 'rollout-status'},
				{name: 'Health checks', seconds: 1, command: 'curl -fsS https://api.overlord.example/health', output: ['{"status":"healthy"}']},
				{name: 'Notify Slack', seconds: 0.5, command: 'slackapi/slack-github-action@v1', output: ['Posted to #overlord-deployments']},
				complete,
			],
		},
	],
};

export const WORKFLOWS = [CI_CD, ROLLBACK];

export function workflowById(idOrFile: string): WorkflowSpec | undefined {
	return WORKFLOWS.find(w => String(w.id) === idOrFile || w.file === idOrFile);
}
