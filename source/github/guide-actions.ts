// The guide's `gh` steps done natively through the GitHub API: the operator presses one key on the block instead of
// running gh (which may not be installed, or may be the wrong host). Detection is pure; performing is lazy.

import {parseArguments} from '../runbook/command-targets.js';
import {commandsRun} from '../runbook/shell-commands.js';
import type {Env, RepoTarget} from './client.js';

export type GuideAction =
  | {kind: 'create-pr'; version: string; previousVersion: string; head: string; base: string}
  | {kind: 'approve-pr'}
  | {kind: 'merge-pr'}
  | {kind: 'dispatch-rollback'; environment: string; targetVersion: string};

/** What a block's commands would do on GitHub, when it is one of the release steps the app can do itself. */
export function guideActionFor(commands: readonly string[]): GuideAction | null {
  const text = commands.join('\n');
  // Read as gh reads its arguments (the runbook's one shell tokenizer), so `--head=x`, quotes and `\` continuations count.
  const gh = commands.flatMap(command => commandsRun(command)).filter(c => c.program === 'gh').map(c => parseArguments(c.args, flag => GH_VALUES.has(flag)));
  const flag = (parsed: (typeof gh)[number], ...names: string[]) => parsed.flags.find(([f, v]) => names.includes(f) && v !== true)?.[1] as string | undefined;
  const is = (parsed: (typeof gh)[number], ...words: string[]) => words.every((w, i) => parsed.positionals[i] === w);
  const create = gh.find(c => is(c, 'pr', 'create'));
  if (create) {
    const head = flag(create, '--head', '-H') ?? 'release/v1.2.0';
    const base = flag(create, '--base', '-B') ?? 'main';
    const version = /v\d+\.\d+\.\d+/.exec(head)?.[0] ?? 'v1.2.0';
    const previousVersion = /previous version:\s*(v\d+\.\d+\.\d+)/i.exec(text)?.[1] ?? 'v1.1.0';
    return {kind: 'create-pr', version, previousVersion, head, base};
  }
  if (gh.some(c => is(c, 'pr', 'review') && c.flags.some(([f]) => f === '--approve' || f === '-a'))) return {kind: 'approve-pr'};
  if (gh.some(c => is(c, 'pr', 'merge'))) return {kind: 'merge-pr'};
  const dispatch = gh.find(c => is(c, 'workflow', 'run', 'rollback.yml'));
  if (dispatch) {
    const fields = dispatch.flags.filter(([f, v]) => ['-f', '-F', '--field', '--raw-field'].includes(f) && v !== true).map(([, v]) => v as string);
    const input = (name: string) => fields.find(f => f.startsWith(`${name}=`))?.slice(name.length + 1);
    return {kind: 'dispatch-rollback', environment: input('environment') ?? 'production', targetVersion: input('target_version') ?? 'v1.1.0'};
  }
  return null;
}

/** gh flags that take a value when written apart from it. */
const GH_VALUES = new Set(['-R', '--repo', '-f', '--field', '-F', '--raw-field', '--ref', '-r', '-H', '--head', '-B', '--base', '-t', '--title', '-b', '--body', '--body-file', '-l', '--label', '-m', '--milestone', '-p', '--project', '--reviewer', '--assignee', '-q', '--jq', '--json', '--template']);

export const GUIDE_ACTION_LABEL: Record<GuideAction['kind'], string> = {
  'create-pr': 'm opens the release PR via the API',
  'approve-pr': 'm approves the PR via the API',
  'merge-pr': 'm squash-merges via the API',
  'dispatch-rollback': 'm dispatches rollback.yml via the API',
};

export interface ActionOutcome {
  ok: boolean;
  /** What it stands for, for the record: the gh command and what was sent. */
  command: string;
  message: string;
  prNumber?: number;
  mergeSha?: string;
  /** A run to follow in the pipeline pane: its workflow file and commit. */
  follow?: {workflow: string; sha: string};
}

async function target(env: Env, frontMatter?: string): Promise<RepoTarget> {
  const {createGitHubClient, resolveRepository} = await import('./client.js');
  const client = await createGitHubClient({env});
  const repo = await resolveRepository({env, ...(frontMatter ? {frontMatter} : {})});
  return {owner: repo.owner, repo: repo.repo, client};
}

/** The open release PR: the one this session opened, else the newest open PR from a release/ branch. */
async function releasePr(t: RepoTarget, known: number | null): Promise<number> {
  if (known) return known;
  const {data} = await t.client.octokit.rest.pulls.list({owner: t.owner, repo: t.repo, state: 'open', base: 'main', per_page: 50});
  const pr = data.find(p => p.head.ref.startsWith('release/'));
  if (!pr) throw new Error('no open release pull request: open one first (Step 2)');
  return pr.number;
}

export async function performGuideAction(action: GuideAction, env: Env, memory: {prNumber: number | null}, frontMatterRepository?: string): Promise<ActionOutcome> {
  const release = await import('./release.js');
  const t = await target(env, frontMatterRepository);
  const repo = `${t.owner}/${t.repo}`;
  switch (action.kind) {
    case 'create-pr': {
      const pr = await release.createReleasePr(t, {version: action.version, previousVersion: action.previousVersion, head: action.head, base: action.base});
      return {
        ok: true,
        command: `gh pr create --base ${action.base} --head ${action.head} --title "Release ${action.version}"  # native, ${repo}`,
        message: `${pr.created ? 'Opened' : 'Already open:'} #${pr.number} ${pr.url}`,
        prNumber: pr.number,
      };
    }
    case 'approve-pr': {
      const number = await releasePr(t, memory.prNumber);
      // The block also runs `gh pr checks`: say where the checks stand whatever the review's fate.
      const {data: pr} = await t.client.octokit.rest.pulls.get({owner: t.owner, repo: t.repo, pull_number: number});
      const checks = await release.prChecks(t, pr.head.sha);
      const counts = (Object.keys(checks) as Array<keyof typeof checks>).filter(k => checks[k].length).map(k => `${checks[k].length} ${k}`).join(', ') || 'none';
      try {
        const review = await release.approvePr(t, number);
        return {ok: true, command: `gh pr review ${number} --approve && gh pr checks  # native, ${repo}`, message: `Approved #${number} as ${review.user}. Checks: ${counts}.`, prNumber: number};
      } catch (error) {
        throw new Error(`${(error as Error).message} Checks: ${counts}.`);
      }
    }
    case 'merge-pr': {
      const number = await releasePr(t, memory.prNumber);
      let merged;
      try {
        merged = await release.mergeRelease(t, number, {deleteBranch: true});
      } catch (error) {
        // Branch protection waits on a person: say so, rather than leave a bare refusal.
        if ((error as {status?: number}).status === 405 && /review/i.test((error as Error).message)) throw new Error(`${(error as Error).message} Press m again once a reviewer has approved it.`);
        throw error;
      }
      const branch = merged.branchDeleted === 'kept' ? 'kept' : `${merged.branch} deleted`;
      return {
        ok: true,
        command: `gh pr merge ${number} --squash --delete-branch  # native, ${repo}`,
        message: `Squashed and merged #${number} as ${merged.sha.slice(0, 7)}; branch ${branch}. The pipeline pane follows this commit.`,
        prNumber: number,
        mergeSha: merged.sha,
      };
    }
    case 'dispatch-rollback': {
      const run = await release.dispatchRollback(t, {environment: action.environment, targetVersion: action.targetVersion});
      return {
        ok: true,
        command: `gh workflow run rollback.yml -f environment=${action.environment} -f target_version=${action.targetVersion}  # native, ${repo}`,
        message: `Dispatched rollback.yml (run #${(run as {run_number?: number}).run_number ?? run.id}) to ${action.targetVersion}; the pipeline pane follows it.`,
        follow: {workflow: 'rollback.yml', sha: run.head_sha},
      };
    }
  }
}
