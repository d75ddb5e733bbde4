// A runbook's `gh` release steps done natively through the GitHub API: the operator presses one key on the block
// instead of running gh (which may not be installed, or may be the wrong host). Detection is pure; performing is lazy.

import {isRollbackWorkflow, parseArguments} from '../runbook/command-targets.js';
import {resolveName} from '../runbook/targets-model.js';
import {commandsRun} from '../runbook/shell-commands.js';
import type {Env, RepoTarget} from './client.js';

export type GuideAction =
  | {kind: 'create-pr'; head: string | null; base: string | null; title: string | null; body: string; version: string | null}
  | {kind: 'approve-pr'}
  | {kind: 'merge-pr'}
  | {kind: 'dispatch-rollback'; workflow: string; ref: string | null; inputs: Record<string, string>};

const VERSION = /v\d+\.\d+\.\d+/;

/**
 * What a block's commands would do on GitHub, when it is one of the release steps the app can do itself: everything
 * it sends (branches, title, body, workflow, inputs) is what the block itself says.
 */
export function guideActionFor(commands: readonly string[]): GuideAction | null {
  // Read as gh reads its arguments (the runbook's one shell tokenizer), so `--head=x`, quotes and `\` continuations count.
  const gh = commands.flatMap(command => commandsRun(command)).filter(c => c.program === 'gh').map(c => parseArguments(c.args, flag => GH_VALUES.has(flag)));
  const flag = (parsed: (typeof gh)[number], ...names: string[]) => parsed.flags.find(([f, v]) => names.includes(f) && v !== true)?.[1] as string | undefined;
  const is = (parsed: (typeof gh)[number], ...words: string[]) => words.every((w, i) => parsed.positionals[i] === w);
  const create = gh.find(c => is(c, 'pr', 'create'));
  if (create) {
    const title = flag(create, '--title', '-t') ?? null;
    const explicitHead = flag(create, '--head', '-H') ?? null;
    const version = VERSION.exec(explicitHead ?? '')?.[0] ?? VERSION.exec(title ?? '')?.[0] ?? null;
    // gh would push the current branch; the API needs one named: the block's, else a release branch for its title's version.
    const head = explicitHead ?? (version ? `release/${version}` : null);
    return {kind: 'create-pr', head, base: flag(create, '--base', '-B') ?? null, title, body: bodyText(flag(create, '--body', '-b') ?? ''), version};
  }
  if (gh.some(c => is(c, 'pr', 'review') && c.flags.some(([f]) => f === '--approve' || f === '-a'))) return {kind: 'approve-pr'};
  if (gh.some(c => is(c, 'pr', 'merge'))) return {kind: 'merge-pr'};
  const dispatch = gh.find(c => is(c, 'workflow', 'run') && c.positionals[2] !== undefined && isRollbackWorkflow(c.positionals[2]));
  if (dispatch) {
    const fields = dispatch.flags.filter(([f, v]) => ['-f', '-F', '--field', '--raw-field'].includes(f) && v !== true).map(([, v]) => v as string);
    const inputs = Object.fromEntries(fields.filter(f => f.includes('=')).map(f => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
    return {kind: 'dispatch-rollback', workflow: dispatch.positionals[2]!, ref: flag(dispatch, '--ref', '-r') ?? null, inputs};
  }
  return null;
}

/** A `--body` as gh would receive it: the text itself, or a `"$(cat <<EOF … EOF)"` heredoc's lines, ending in one newline. */
function bodyText(value: string): string {
  const heredoc = /^\$\(\s*cat\s+<<-?\s*(['"]?)(\w+)\1[ \t]*\n([\s\S]*?)\n[ \t]*\2[ \t]*\n?\s*\)$/.exec(value);
  return heredoc ? `${heredoc[3]!.replace(/\n+$/, '')}\n` : value;
}

/** The text of the gh step's own `m` label: `m dispatches rollback.yml via the API → v1.1.0`. */
export function guideActionLabel(action: GuideAction): string {
  if (action.kind !== 'dispatch-rollback') return GUIDE_ACTION_LABEL[action.kind];
  const to = action.inputs.target_version ?? action.inputs.version ?? null;
  return `m dispatches ${action.workflow} via the API${to ? ` → ${to}` : ''}`;
}

/** gh flags that take a value when written apart from it. */
const GH_VALUES = new Set(['-R', '--repo', '-f', '--field', '-F', '--raw-field', '--ref', '-r', '-H', '--head', '-B', '--base', '-t', '--title', '-b', '--body', '--body-file', '-l', '--label', '-m', '--milestone', '-p', '--project', '--reviewer', '--assignee', '-q', '--jq', '--json', '--template']);

export const GUIDE_ACTION_LABEL: Record<GuideAction['kind'], string> = {
  'create-pr': 'm opens the release PR via the API',
  'approve-pr': 'm approves the PR via the API',
  'merge-pr': 'm squash-merges via the API',
  'dispatch-rollback': 'm dispatches the rollback workflow via the API',
};

export interface ActionOutcome {
  ok: boolean;
  /** What it stands for, for the record: the gh command and what was sent. */
  command: string;
  message: string;
  prNumber?: number;
  mergeSha?: string;
  /** A run to follow in the pipeline pane: its workflow file and commit. */
  follow?: {workflow: string | null; sha: string};
}

/** The repository and client an action works on; a session passes its shared one (session/clients.ts). */
export type ConnectGitHub = (env: Env, frontMatterRepository?: string) => Promise<RepoTarget>;

/** A client of its own, for a caller without a session (one action, one client). */
const connectAlone: ConnectGitHub = async (env, frontMatter) => {
  const {createGitHubClient, resolveRepository} = await import('./client.js');
  const client = await createGitHubClient({env});
  const repo = await resolveRepository({env, ...(frontMatter ? {frontMatter} : {})});
  return {owner: repo.owner, repo: repo.repo, client};
};

/** The open release PR: the one this session opened, else the newest open PR from a release/ branch. */
async function releasePr(t: RepoTarget, known: number | null): Promise<number> {
  if (known) return known;
  const {data} = await t.client.octokit.rest.pulls.list({owner: t.owner, repo: t.repo, state: 'open', per_page: 50});
  const pr = data.find(p => p.head.ref.startsWith('release/'));
  if (!pr) throw new Error('no open release pull request: open one first (Step 2)');
  return pr.number;
}

export async function performGuideAction(
  action: GuideAction,
  env: Env,
  memory: {prNumber: number | null},
  frontMatterRepository?: string,
  connect: ConnectGitHub = connectAlone,
): Promise<ActionOutcome> {
  const release = await import('./release.js');
  const t = await connect(env, frontMatterRepository);
  const perform = PERFORM[action.kind] as (action: GuideAction, on: ActionContext) => Promise<ActionOutcome>;
  return perform(action, {t, repo: `${t.owner}/${t.repo}`, env, memory, release});
}

/** What every action works with: the repository and its client, the session's answers, the PR it already knows. */
interface ActionContext {
  t: RepoTarget;
  /** `owner/name`, for the record. */
  repo: string;
  env: Env;
  memory: {prNumber: number | null};
  release: typeof import('./release.js');
}

type Perform<K extends GuideAction['kind']> = (action: Extract<GuideAction, {kind: K}>, on: ActionContext) => Promise<ActionOutcome>;

async function createPr(action: Extract<GuideAction, {kind: 'create-pr'}>, {t, repo, env, release}: ActionContext): Promise<ActionOutcome> {
  // What the block says, with the session's answers where it reads a variable (`--head release/$VERSION`).
  const filled = (what: string, value: string | null) => {
    if (value === null) return null;
    const text = resolveName({text: value, variables: []}, env);
    if (text === null) throw new Error(`the block's ${what} "${value}" reads a variable this session has no value for: run the block that sets it first`);
    return text;
  };
  const head = filled('--head', action.head);
  if (!head) throw new Error('the block\'s gh pr create names no --head (nor a version in its --title): the API needs the branch; add --head BRANCH to the block');
  const base = filled('--base', action.base) ?? (await t.client.octokit.rest.repos.get({owner: t.owner, repo: t.repo})).data.default_branch;
  const title = filled('--title', action.title) ?? head;
  const version = VERSION.exec(head)?.[0] ?? VERSION.exec(title)?.[0] ?? '';
  const template = {title, body: action.body, version, previousVersion: version};
  const pr = await release.createReleasePr(t, {version, previousVersion: version, head, base, template});
  return {
    ok: true,
    command: `gh pr create --base ${base} --head ${head} --title "${title}"  # native, ${repo}`,
    message: `${pr.created ? 'Opened' : 'Already open:'} #${pr.number} ${pr.url}`,
    prNumber: pr.number,
  };
}

async function approvePr(_action: GuideAction, {t, repo, memory, release}: ActionContext): Promise<ActionOutcome> {
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

async function mergePr(_action: GuideAction, {t, repo, memory, release}: ActionContext): Promise<ActionOutcome> {
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

async function dispatchRollback(action: Extract<GuideAction, {kind: 'dispatch-rollback'}>, {t, repo, env, release}: ActionContext): Promise<ActionOutcome> {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, resolveName({text: v, variables: []}, env) ?? v]));
  const run = await release.dispatchRollback(t, {
    workflow: action.workflow, inputs, environment: inputs.environment ?? '', targetVersion: inputs.target_version ?? inputs.version ?? '',
    ...(action.ref ? {ref: action.ref} : {}),
  });
  const fields = Object.entries(inputs).map(([k, v]) => ` -f ${k}=${v}`).join('');
  const to = inputs.target_version ?? inputs.version;
  return {
    ok: true,
    command: `gh workflow run ${action.workflow}${fields}  # native, ${repo}`,
    message: `Dispatched ${action.workflow} (run #${(run as {run_number?: number}).run_number ?? run.id})${to ? ` to ${to}` : ''}; the pipeline pane follows it.`,
    follow: {workflow: action.workflow, sha: run.head_sha},
  };
}

/** One function per gh release step. */
const PERFORM: {[K in GuideAction['kind']]: Perform<K>} = {
  'create-pr': createPr,
  'approve-pr': approvePr,
  'merge-pr': mergePr,
  'dispatch-rollback': dispatchRollback,
};
