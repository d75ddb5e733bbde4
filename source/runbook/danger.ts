// Which commands change production irreversibly (the UI asks for a typed target before running them), and
// which need the whole terminal. Patterns are deliberately about the command's verb, not its arguments, so an
// `echo "kubectl delete"` in a comment-less string still errs towards asking.

import type {Confirmation} from './model.js';

interface DangerRule {
  pattern: RegExp;
  describe: (command: string) => string;
}

const resource = (command: string, verb: string) => {
  const m = new RegExp(`\\b${verb}\\s+((?:-{1,2}[\\w-]+(?:[= ]\\S+)?\\s+)*)([\\w./-]+)`).exec(command);
  return m?.[2] ?? 'resources';
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

function flagValue(command: string, ...flags: string[]): string | null {
  for (const flag of flags) {
    const m = new RegExp(`(?:^|\\s)${flag}(?:=|\\s+)(['"]?)([^\\s'"]+)\\1`).exec(command);
    if (m) return m[2]!;
  }
  return null;
}

function branchOf(command: string): string | null {
  const m = /\bgit\s+push\b(.*)/.exec(command);
  if (!m) return null;
  const words = m[1]!.split(/\s+/).filter(w => w && !w.startsWith('-'));
  const refspec = words[1] ?? words[0];
  if (!refspec) return null;
  const dst = refspec.includes(':') ? refspec.split(':').pop()! : refspec;
  return dst.replace(/^\+/, '').replace(/^refs\/heads\//, '');
}

/** What the operator types to confirm: the namespace, context, branch or environment the command hits. */
export function confirmationFor(commands: string[]): Confirmation | null {
  for (const command of commands) {
    const flat = command.replace(/\\\n\s*/g, ' ');
    if (dangersOf(flat).length === 0) continue;
    const namespace = flagValue(flat, '-n', '--namespace');
    if (namespace) return {kind: 'namespace', value: namespace};
    const context = flagValue(flat, '--context', '--kube-context');
    if (context) return {kind: 'context', value: context};
    const branch = branchOf(flat);
    if (branch) return {kind: 'branch', value: branch};
    const environment = /\benvironment=([\w-]+)/.exec(flat)?.[1];
    if (environment) return {kind: 'environment', value: environment};
    return {kind: 'word', value: 'yes'};
  }
  return null;
}

const INTERACTIVE_PROGRAMS = new Set([
  'nano', 'vi', 'vim', 'nvim', 'emacs', 'less', 'more', 'top', 'htop', 'watch', 'websocat', 'ssh', 'k9s', 'tig',
  'man', 'mc', 'tmux', 'screen', '$EDITOR', '${EDITOR}', '$VISUAL',
]);

/** Programs that need a terminal of their own: the UI hands it over and takes it back when they end. */
export function isInteractive(command: string): boolean {
  const flat = command.replace(/\\\n\s*/g, ' ');
  for (const segment of flat.split(/&&|\|\||;|\|/)) {
    const words = segment.trim().split(/\s+/);
    // Leading assignments and wrappers are not the program.
    while (words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || ['sudo', 'exec', 'time', 'env', 'command'].includes(words[0]!))) words.shift();
    const [program, ...args] = words;
    if (!program) continue;
    const name = program.split('/').pop()!;
    if (INTERACTIVE_PROGRAMS.has(name)) return true;
    const joined = ` ${args.join(' ')} `;
    if (name === 'kubectl') {
      if (/\s(logs|attach)\s/.test(joined) && /\s(-f|--follow(=true)?)\s/.test(joined)) return true;
      if (/\s(get|events)\s/.test(joined) && /\s(-w|--watch(-only)?(=true)?)\s/.test(joined)) return true;
      if (/\s(exec|run|attach|debug)\s/.test(joined) && /\s(-it|-ti|--stdin(=true)?\s+--tty|-i\s+-t|--tty(=true)?)\s/.test(joined)) return true;
    }
    if (name === 'tail' && /\s(-f|-F|--follow)\b/.test(joined)) return true;
    if (name === 'docker' && /\s(run|exec)\s/.test(joined) && /\s-(it|ti)\s/.test(joined)) return true;
    if (name === 'gh' && (/^\s*run\s+watch\b/.test(joined) || /^\s*auth\s+login\b/.test(joined))) return true;
    if (name === 'git' && /^\s*commit\b/.test(joined) && !/\s(-m|--message|-F|--file|--no-edit)\b/.test(joined)) return true;
    if (['psql', 'mysql', 'redis-cli', 'python', 'python3', 'node', 'bash', 'sh'].includes(name) && args.length === 0) return true;
  }
  return false;
}
