// Hand-made pipeline snapshots and pending environments: what usePipeline and GitHub would give,
// without a GitHub.
import type {PendingEnvironment} from '../../../source/github/approval.js';
import type {PipelineJob, PipelineRun, PipelineSnapshot} from '../../../source/ui/pipeline/pipeline-snapshot.js';

export {COLOUR, GREEN, lines, lineWith, plain, RED, widest, YELLOW} from '../cluster/fixtures.js';

export const job = (name: string, icon = '✓', duration = '3m12s', status = 'completed', over: Partial<PipelineJob> = {}): PipelineJob => ({
  name, icon, duration, status, waiting: false,
  tone: icon === '✓' ? 'good' : icon === 'X' ? 'error' : icon === '-' ? 'muted' : 'warn',
  ...over,
});

export const JOBS: PipelineJob[] = [
  job('Quality Gates', '✓', '3m12s'),
  job('Security Scanning', '✓', '2m40s'),
  job('Unit Tests', '✓', '1m5s'),
  job('Integration Tests', '✓', '2m1s'),
  job('E2E Tests', '✓', '4m0s'),
  job('Docker Build', '✓', '1m30s'),
  job('Production Deployment', '*', '', 'waiting', {waiting: true}),
];

export function run(over: Partial<PipelineRun> = {}): PipelineRun {
  return {
    id: 11204000004, number: 318, name: 'CI/CD Full Cycle', status: 'waiting', conclusion: null, branch: 'main', event: 'push',
    sha: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2', htmlUrl: 'https://github.com/x/y/actions/runs/11204000004', duration: '14m40s',
    waitingOn: 'production', ...over,
  };
}

export function snapshot(over: Partial<PipelineSnapshot> = {}): PipelineSnapshot {
  return {
    configured: true,
    repository: 'legion14041981-ui/overlord-trading-system-v8',
    following: {kind: 'commit', sha: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2'},
    run: run(),
    jobs: JOBS,
    freshness: {label: '● 2s', tone: 'good'},
    error: null,
    ...over,
  };
}

export const PRODUCTION: PendingEnvironment = {environmentId: 4170000002, name: 'production', reviewers: ['devops-engineer'], canApprove: true, waitTimerMinutes: 0};
