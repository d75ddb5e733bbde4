// Which commands change production irreversibly (the UI asks for a typed target before running them), and
// which need the whole terminal. Patterns are deliberately about the command's verb, not its arguments, so an
// `echo "kubectl delete"` in a comment-less string still errs towards asking.

import {kubectlArguments, parseArguments, targetsOfCommand} from './command-targets.js';
import type {Confirmation} from './model.js';
import {commandsRun, shellCommands, type SimpleCommand} from './shell-commands.js';
import {commandShape} from './shell-structure.js';

interface DangerRule {
  pattern: RegExp;
  describe: (command: string) => string;
}

/** What a kubectl verb acts on, as written: the first argument after the verb (`deployment/x`, `pod`). */
const resource = (command: string, verb: string) => {
  for (const c of commandsRun(command)) {
    if (c.program !== 'kubectl') continue;
    const {positionals} = kubectlArguments(c.args);
    const at = positionals.indexOf(verb);
    if (at >= 0 && positionals[at + 1]) return positionals[at + 1]!;
  }
  return 'resources';
};

const RULES: DangerRule[] = [
  {pattern: /\bgit\s+push\b[^\n]*(\s--force(-with-lease)?\b|\s-f\b|\s\+\S+)/, describe: c => `force-pushes to ${branchOf(c) ?? 'a branch'}`},
  {pattern: /\bkubectl\b[^\n]*\brollout\s+undo\b/, describe: c => `rolls back ${resource(c, 'undo')}`},
  {pattern: /\bkubectl\b[^\n]*\s(delete)\s/, describe: c => `deletes ${resource(c, 'delete')}`},
  {pattern: /\bkubectl\b[^\n]*\bscale\b[^\n]*--replicas[= ]0\b/, describe: c => `scales ${resource(c, 'scale')} to zero`},
  {pattern: /\bkubectl\b[^\n]*\b(drain|cordon)\s/, describe: () => 'takes a node out of service'},
  {pattern: /\bhelm\s+(uninstall|delete|rollback)\b/, describe: c => `helm ${/\bhelm\s+(\w+)/.exec(c)?.[1]}`},
  {pattern: /\bterraform\s+(destroy|apply)\b/, describe: c => `terraform ${/\bterraform\s+(\w+)/.exec(c)?.[1]}`},
  {pattern: /\b(drop|truncate)\s+(table|database|schema|index)\b/i, describe: c => /\b(drop|truncate)\s+\w+/i.exec(c)![0].toUpperCase()},
  {pattern: /\bdelete\s+from\b/i, describe: () => 'deletes rows (DELETE FROM)'},
  {pattern: /\brm\s+(-\w*r\w*f\w*|-\w*f\w*r\w*|-r\s+-f|-f\s+-r)\b/, describe: () => 'removes files recursively (rm -rf)'},
  {pattern: /\b(flushall|flushdb)\b/i, describe: () => 'empties Redis'},
  {pattern: /\bmkfs(\.\w+)?\b|\bdd\s+[^\n]*\bof=\/dev\//, describe: () => 'overwrites a device'},
  {
    pattern: /\bgh\s+workflow\s+run\b[^\n]*\benvironment=prod/,
    describe: c => `dispatches ${/\bgh\s+workflow\s+run\s+(\S+)/.exec(c)?.[1] ?? 'a workflow'} against production`,
  },
];

export function dangersOf(command: string): string[] {
  const flat = command.replace(/\\\n\s*/g, ' ');
  return RULES.filter(r => r.pattern.test(flat)).map(r => r.describe(flat));
}

/** The branch a `git push` updates: its refspec's destination. */
function branchOf(command: string): string | null {
  for (const c of commandsRun(command)) {
    if (c.program !== 'git') continue;
    const {positionals} = parseArguments(c.args, flag => ['-C', '-c', '--repo', '-o', '--push-option', '--receive-pack', '--exec'].includes(flag));
    if (positionals[0] !== 'push') continue;
    const refspec = positionals[2] ?? positionals[1];
    if (!refspec) return null;
    const dst = refspec.includes(':') ? refspec.split(':').pop()! : refspec;
    return dst.replace(/^\+/, '').replace(/^refs\/heads\//, '');
  }
  return null;
}

/** `--context X` / `--kube-context X` of any program (terraform, docker…), when no kube tool names one. */
function contextFlag(command: string): string | null {
  for (const c of commandsRun(command)) {
    const {flags} = parseArguments(c.args, flag => flag === '--context' || flag === '--kube-context');
    const value = flags.find(([f, v]) => (f === '--context' || f === '--kube-context') && v !== true)?.[1];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** What the operator types to confirm: the namespace, context, branch or environment the command hits. */
export function confirmationFor(commands: string[]): Confirmation | null {
  for (const command of commands) {
    const flat = command.replace(/\\\n\s*/g, ' ');
    if (dangersOf(flat).length === 0) continue;
    // Variables stay as written (`$NAMESPACE`): the operator types what the command will be run against.
    const named = targetsOfCommand(flat);
    const namespace = named.namespaces[0]?.text;
    if (namespace) return {kind: 'namespace', value: namespace};
    const context = named.contexts[0]?.text ?? contextFlag(flat);
    if (context) return {kind: 'context', value: context};
    const branch = branchOf(flat);
    if (branch) return {kind: 'branch', value: branch};
    const environment = named.environments[0] ?? /\benvironment=([\w-]+)/.exec(flat)?.[1];
    if (environment) return {kind: 'environment', value: environment};
    return {kind: 'word', value: 'yes'};
  }
  return null;
}

const INTERACTIVE_PROGRAMS = new Set([
  'nano', 'vi', 'vim', 'nvim', 'emacs', 'less', 'more', 'top', 'htop', 'watch', 'websocat', 'ssh', 'k9s', 'tig',
  'man', 'mc', 'tmux', 'screen', '$EDITOR', '${EDITOR}', '$VISUAL',
]);

/**
 * Commands that follow output until the operator stops them: `kubectl logs -f`, `kubectl get -w`, `watch`,
 * `gh run watch`, `tail -f`, `journalctl -f`, `kubectl port-forward`. Ended by Ctrl-C they did what they were for.
 */
export function isFollower(simple: SimpleCommand): boolean {
  const {program: name, args} = simple;
  const joined = ` ${args.join(' ')} `;
  if (name === 'watch') return true;
  if (name === 'kubectl') {
    if (/\s(logs|attach)\s/.test(joined) && /\s(-f|--follow(=true)?)\s/.test(joined)) return true;
    if (/\s(get|events)\s/.test(joined) && /\s(-w|--watch(-only)?(=true)?)\s/.test(joined)) return true;
    if (/\sport-forward\s/.test(joined)) return true;
  }
  if (name === 'tail' && /\s(-f|-F|--follow)\b/.test(joined)) return true;
  if (name === 'journalctl' && /\s(-f|--follow)\s/.test(joined)) return true;
  return name === 'gh' && /^\s*run\s+watch\b/.test(joined);
}

/** gh run flags that take a value written apart from it. */
const GH_RUN_VALUES = new Set(['-j', '--job', '--attempt', '-q', '--jq', '-t', '--template', '--json', '-R', '--repo', '-n', '--name', '-p', '--pattern', '-D', '--dir']);

/** `gh run view|rerun|cancel|download` naming no run (nor a job): at a terminal gh asks which, without one it fails. */
function asksForRun(args: readonly string[]): boolean {
  const {positionals, flags} = parseArguments(args, flag => GH_RUN_VALUES.has(flag));
  const [group, verb] = positionals;
  return group === 'run' && ['view', 'rerun', 'cancel', 'download'].includes(verb ?? '') && positionals.length === 2 && !flags.some(([f]) => f === '-j' || f === '--job');
}

/** Programs that need a terminal of their own: the UI hands it over and takes it back when they end. */
export function isInteractive(command: string): boolean {
  // What runs in the background (`kubectl port-forward … &`) follows nothing on the terminal.
  const background = new Set(
    commandShape(command)
      .pipelines.filter(p => p.after === '&')
      .flatMap(p => p.stages.map(s => s?.raw.join(' '))),
  );
  // The program each simple command runs, wrappers (sudo, env, time…) and leading assignments peeled off; what a
  // `$(…)` captures is output, not a terminal.
  for (const simple of shellCommands(command)) {
    if (simple.nested || !simple.program) continue;
    const {program: name, args} = simple;
    if (INTERACTIVE_PROGRAMS.has(name) && name !== 'watch') return true;
    if (isFollower(simple) && !background.has(simple.raw.join(' '))) return true;
    const joined = ` ${args.join(' ')} `;
    if (name === 'kubectl' && /\s(exec|run|attach|debug)\s/.test(joined) && /\s(-it|-ti|--stdin(=true)?\s+--tty|-i\s+-t|--tty(=true)?)\s/.test(joined)) return true;
    if (name === 'docker' && /\s(run|exec)\s/.test(joined) && /\s-(it|ti)\s/.test(joined)) return true;
    if (name === 'gh' && /^\s*auth\s+login\b/.test(joined)) return true;
    if (name === 'gh' && asksForRun(args)) return true;
    if (name === 'git' && /^\s*commit\b/.test(joined) && !/\s(-m|--message|-F|--file|--no-edit)\b/.test(joined)) return true;
    if (['psql', 'mysql', 'redis-cli', 'python', 'python3', 'node', 'bash', 'sh'].includes(name) && args.length === 0) return true;
  }
  return false;
}
