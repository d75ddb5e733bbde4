// Command-line parsing: one table of commands and options, errors as one line with exit code 2.

import {parseArgs} from 'node:util';
import {InputError} from '../runbook/errors.js';
import {stateDirFor, type Place} from './state-dir.js';

export const USAGE = `runbook — walk a markdown runbook step by step: run its commands, keep its checklist.

Usage:
  runbook [FILE]                 open FILE in the guided session (default: the production deployment guide,
                                 rehearsed against the built-in sandbox when no cluster or GitHub token is
                                 configured); an unfinished session of FILE is offered for resuming.
                                 Outside a runbook project (no runbooks/ here), no FILE lists the runbooks
                                 it knows instead
  runbook list [--json]          the runbooks it knows (./runbooks, recent sessions) with their last session
  runbook rollback [FILE] [--severity LEVEL]
                                 incident mode: the rollback procedures, an incident clock, the live damage;
                                 LEVEL from the runbook's severity table (P0–P3 or SEV1–SEV4; default P0–P3)
  runbook rehearse [FILE] [--scenario default|bad-release] [--speed N]
                                 a game day: FILE against the built-in sandbox cluster and GitHub
  runbook rehearse [FILE] --headless [--scenario S] [--speed N] [--json] [--set NAME=VALUE]...
                 [--no-native] [--input-wait SECONDS]
                                 test FILE without a terminal (CI): every command block in order against the
                                 sandbox, a line per block; exit 0 when every block run passed, 1 if one failed
  runbook resume [ID]            resume the latest unfinished session (or session ID)
  runbook FILE --share [--share-namespace NS]
                                 share the session with the team through the cluster of the current context
                                 (ConfigMaps and a Lease in NS, default runbook-sessions; also front matter
                                 'share: true'): others follow it live and can take the wheel
  runbook join [ID] [--share-namespace NS]
                                 follow a shared session live (read-only; T asks the driver for the wheel)
  runbook share --print-rbac [--for USER] [--share-namespace NS]
                                 the Role and RoleBinding YAML that sharing needs
  runbook status [--json] [--cluster]
                                 every recorded session: runbook, progress, finished or not; --cluster: the
                                 sessions shared on the cluster, who drives each
  runbook report ID [--format md|json]
                                 a session as a timeline: what ran, what was ticked, skipped, noted
  runbook metrics [--json]       deployment duration, success rate, rollback rate, time to recovery
  runbook show FILE [--json]     print the runbook's outline, or its model as JSON
  runbook sandbox [--write-env FILE] [--scenario default|bad-release] [--port N]
                                 run the built-in sandbox cluster and GitHub in the foreground

Options:
  --state-dir DIR   where sessions are kept (default RUNBOOK_STATE_DIR, else ./state in a directory with
                    runbooks/, else $XDG_STATE_HOME/runbook or ~/.local/state/runbook)
  --new             with FILE: start a new session even if an unfinished one exists
  --debug           show stack traces
  -h, --help        this help
  -v, --version     the version`;

export interface CliArgs {
  command: 'open' | 'show' | 'help' | 'version' | 'resume' | 'status' | 'report' | 'metrics' | 'sandbox' | 'rehearse' | 'rollback' | 'list' | 'join' | 'share';
  /** --share / --share-namespace / --cluster / --print-rbac / --for: the session shared through the cluster. */
  share: {on: boolean; namespace: string | null; cluster: boolean; printRbac: boolean; subject: string | null};
  severity: string | null;
  /** `given`: which of port and scenario were on the command line (`runbook sandbox` otherwise reuses its last ones). */
  sandbox: {writeEnv: string | null; scenario: 'default' | 'bad-release'; port: number; speed: number; given: {port: boolean; scenario: boolean}};
  file: string | null;
  /** A session id for resume and report. */
  id: string | null;
  format: 'md' | 'json';
  fresh: boolean;
  json: boolean;
  /** `rehearse --headless`: every block run without a terminal, with --set's answers (name or placeholder → value). */
  headless: boolean;
  set: Record<string, string>;
  /** --no-native: a headless rehearsal leaves a failed block's job undone (no m, A, u after it). */
  native: boolean;
  /** --input-wait: how long a headless block may wait for input, in ms; null: the default. */
  inputWaitMs: number | null;
  stateDir: string;
  /** Started in a runbook project (runbooks/ here): ./state, and no FILE opens the guide. */
  project: boolean;
  debug: boolean;
}


export function parseCli(argv: string[], env: NodeJS.ProcessEnv, place: Pick<Place, 'home' | 'project' | 'localState'>): CliArgs {
  const {values, positionals} = parseOptions(argv);
  const base = checkedOptions(values, env, place);
  if (values.help) return {...base, command: 'help'};
  if (values.version) return {...base, command: 'version'};
  return shareChecked(headlessChecked(commandOf(positionals, base)));
}

/** --share opens a session; --cluster is status's; --print-rbac and --for are `share`'s. */
function shareChecked(args: CliArgs): CliArgs {
  const {share, command} = args;
  if (share.on && !['open', 'rehearse', 'rollback', 'resume'].includes(command)) throw new InputError("--share shares a session you open: 'runbook FILE --share'");
  if (share.on && args.headless) throw new InputError('--share needs the guided session: a headless rehearsal has nobody to follow it');
  if (share.cluster && command !== 'status') throw new InputError("--cluster is status's: 'runbook status --cluster'");
  if ((share.printRbac || share.subject !== null) && command !== 'share') throw new InputError("--print-rbac and --for are share's: 'runbook share --print-rbac [--for USER]'");
  return args;
}

/** --headless is a rehearsal's only (it confirms dangerous blocks: the sandbox is their only target); --set is its. */
function headlessChecked(args: CliArgs): CliArgs {
  if (args.headless && args.command !== 'rehearse')
    throw new InputError("--headless runs a rehearsal against the sandbox only: 'runbook rehearse [FILE] --headless'");
  if ((!args.native || args.inputWaitMs !== null) && !args.headless) throw new InputError(`${args.native ? '--input-wait' : '--no-native'} is a headless rehearsal's: add --headless`);
  if (Object.keys(args.set).length && !args.headless) throw new InputError("--set answers a headless rehearsal's questions: add --headless ('runbook rehearse FILE --headless --set NAME=VALUE')");
  return args;
}

/** --set NAME=VALUE, NAME a variable's name or a placeholder's text (`--set /path/to/kubeconfig.yaml=/tmp/k`). */
function setsOf(given: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of given ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new InputError(`--set takes NAME=VALUE, not '${item}'`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: {type: 'boolean', default: false},
        format: {type: 'string'},
        'write-env': {type: 'string'},
        scenario: {type: 'string'},
        port: {type: 'string'},
        speed: {type: 'string'},
        severity: {type: 'string'},
        headless: {type: 'boolean', default: false},
        set: {type: 'string', multiple: true},
        'no-native': {type: 'boolean', default: false},
        'input-wait': {type: 'string'},
        new: {type: 'boolean', default: false},
        share: {type: 'boolean', default: false},
        'share-namespace': {type: 'string'},
        cluster: {type: 'boolean', default: false},
        'print-rbac': {type: 'boolean', default: false},
        for: {type: 'string'},
        'state-dir': {type: 'string'},
        debug: {type: 'boolean', default: false},
        help: {type: 'boolean', short: 'h', default: false},
        version: {type: 'boolean', short: 'v', default: false},
      },
    });
  } catch (error) {
    throw new InputError(`${(error as Error).message.replace(/\. To specify.*$/, '')}; see 'runbook --help'`);
  }
}

/** Every option's value checked, whatever the command: what all the commands share. */
function checkedOptions(values: ReturnType<typeof parseOptions>['values'], env: NodeJS.ProcessEnv, place: Pick<Place, 'home' | 'project' | 'localState'>): Omit<CliArgs, 'command'> {
  const stateDir = stateDirFor(values['state-dir'], env, place);
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new InputError(`--format takes md or json, not '${format}'`);
  const scenario = values.scenario ?? 'default';
  if (scenario !== 'default' && scenario !== 'bad-release') throw new InputError(`unknown scenario '${scenario}'; the scenarios are default and bad-release`);
  const number = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new InputError(`--${name} takes a number, not '${text}'`);
    return n;
  };
  const sandbox = {writeEnv: values['write-env'] ?? null, scenario, port: number('port', values.port, 0), speed: number('speed', values.speed, 1), given: {port: values.port !== undefined, scenario: values.scenario !== undefined}} as const;
  const severity = values.severity ? values.severity.toUpperCase() : null;
  // The runbook's own table says which levels exist (checked once it is read); these are the scales it may use.
  if (severity && !/^(P[0-4]|SEV-?[0-5])$/.test(severity)) throw new InputError(`--severity takes a level such as P0–P3 or SEV1–SEV4, not '${values.severity}'`);
  const shareNamespace = values['share-namespace'] ?? null;
  if (shareNamespace !== null && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(shareNamespace)) throw new InputError(`--share-namespace takes a namespace name (lowercase letters, digits, '-'), not '${shareNamespace}'`);
  const share = {on: values.share ?? false, namespace: shareNamespace, cluster: values.cluster ?? false, printRbac: values['print-rbac'] ?? false, subject: values.for ?? null};
  return {share, severity, json: values.json ?? false, headless: values.headless ?? false, set: setsOf(values.set), native: !values['no-native'], inputWaitMs: values['input-wait'] === undefined ? null : number('input-wait', values['input-wait'], 0) * 1000, stateDir, project: place.project, debug: values.debug ?? false, id: null, format, fresh: values.new ?? false, file: null, sandbox};
}

/** The command the positionals name, with its FILE or ID. */
function commandOf(positionals: string[], base: Omit<CliArgs, 'command'>): CliArgs {
  const [first, ...rest] = positionals;
  const extra = (n: number) => {
    if (rest.length > n) throw new InputError(`unexpected argument '${rest[n]}'; see 'runbook --help'`);
  };
  switch (first) {
    case 'show':
      if (rest.length !== 1) throw new InputError("show needs exactly one FILE; e.g. 'runbook show runbooks/production-deployment-guide.md'");
      return {...base, command: 'show', file: rest[0]!};
    case 'resume':
      extra(1);
      return {...base, command: 'resume', id: rest[0] ?? null};
    case 'report':
      if (rest.length !== 1) throw new InputError("report needs a session ID; 'runbook status' lists them");
      return {...base, command: 'report', id: rest[0]!};
    case 'rollback':
      extra(1);
      return {...base, command: 'rollback', file: rest[0] ?? null};
    case 'rehearse':
      extra(1);
      return {...base, command: 'rehearse', file: rest[0] ?? null};
    case 'join':
      extra(1);
      return {...base, command: 'join', id: rest[0] ?? null};
    case 'share':
      extra(0);
      if (!base.share.printRbac) throw new InputError("share takes --print-rbac ('runbook share --print-rbac'); to share a session: 'runbook FILE --share'");
      return {...base, command: 'share'};
    case 'sandbox':
    case 'list':
    case 'status':
    case 'metrics':
      extra(0);
      return {...base, command: first};
  }
  if (positionals.length > 1) throw new InputError(`unexpected argument '${positionals[1]}'; see 'runbook --help'`);
  return {...base, command: 'open', file: first ?? null};
}
