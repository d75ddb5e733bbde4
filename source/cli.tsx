// The `runbook` command. Kept thin: parse arguments, dispatch, and turn bad input into one actionable line.

import {fileURLToPath} from 'node:url';
import {parseCli, USAGE} from './commands/args.js';
import {loadInteractive} from './commands/load-ink.js';
import {print, printError} from './commands/print.js';
import {placeOf} from './commands/state-dir.js';
import {InputError} from './runbook/errors.js';

declare const RUNBOOK_VERSION: string;

export const DEFAULT_RUNBOOK = fileURLToPath(new URL('../runbooks/production-deployment-guide.md', import.meta.url));

const loadSession = () => loadInteractive(() => import('./commands/open.js'));

async function main(argv: string[]): Promise<number> {
  const place = placeOf();
  const args = parseCli(argv, process.env, place);
  // --share-namespace alone says where to share too (front matter 'share: true' turns it on in the session).
  const share = args.share.on || args.share.namespace ? {share: {on: args.share.on, namespace: args.share.namespace}} : {};
  const list = async (hint: boolean) => (await import('./commands/list.js')).listCommand({stateDir: args.stateDir, json: args.json, place, packaged: DEFAULT_RUNBOOK, hint});
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${typeof RUNBOOK_VERSION === 'string' ? RUNBOOK_VERSION : 'dev'}\n`);
      return 0;
    // Each command is loaded when asked for, so `show` never loads Ink and the session never loads the parser.
    case 'show':
      return (await import('./commands/show.js')).showCommand(args.file!, {json: args.json});
    case 'list':
      return list(false);
    case 'open':
      // Installed and started outside a runbook project: what it knows, rather than a guide nobody asked for.
      if (!args.file && !args.project) return list(true);
      // The guide with nothing real configured is a rehearsal against the built-in sandbox (the `npm start` case).
      return (await loadSession()).openCommand({
        file: args.file ?? DEFAULT_RUNBOOK,
        stateDir: args.stateDir,
        fresh: args.fresh,
        ...share,
        ...(args.file ? {} : {rehearsal: {scenario: 'default', when: 'unconfigured'} as const}),
      });
    case 'rollback':
      return (await loadSession()).openCommand({
        file: args.file ?? DEFAULT_RUNBOOK,
        stateDir: args.stateDir,
        fresh: true,
        ...share,
        incident: {severity: args.severity},
        ...(args.file ? {} : {rehearsal: {scenario: args.sandbox.scenario, when: 'unconfigured', speed: args.sandbox.speed} as const}),
      });
    case 'rehearse':
      // Headless: no terminal needed, and nothing of React or Ink loaded.
      if (args.headless)
        return (await import('./commands/rehearse-headless.js')).rehearseHeadless({file: args.file ?? DEFAULT_RUNBOOK, stateDir: args.stateDir, scenario: args.sandbox.scenario, speed: args.sandbox.speed, json: args.json, set: args.set, native: args.native, ...(args.inputWaitMs !== null ? {inputWaitMs: args.inputWaitMs} : {})});
      return (await loadSession()).openCommand({file: args.file ?? DEFAULT_RUNBOOK, stateDir: args.stateDir, fresh: args.fresh, ...share, rehearsal: {scenario: args.sandbox.scenario, when: 'always', speed: args.sandbox.speed}});
    case 'resume':
      return (await loadSession()).openCommand({file: null, stateDir: args.stateDir, ...share, resume: args.id ?? ''});
    case 'join':
      return (await loadInteractive(() => import('./commands/join.js'))).joinCommand({stateDir: args.stateDir, id: args.id, namespace: args.share.namespace});
    case 'share':
      return (await import('./commands/share-rbac.js')).printRbacCommand({namespace: args.share.namespace, subject: args.share.subject});
    case 'status':
      if (args.share.cluster) return (await import('./commands/status-cluster.js')).clusterStatusCommand({namespace: args.share.namespace, json: args.json, stateDir: args.stateDir});
      return (await import('./commands/status.js')).statusCommand({stateDir: args.stateDir, json: args.json});
    case 'report':
      return (await import('./commands/report.js')).reportCommand({stateDir: args.stateDir, id: args.id!, format: args.json ? 'json' : args.format});
    case 'metrics':
      return (await import('./commands/metrics.js')).metricsCommand({stateDir: args.stateDir, json: args.json});
    case 'sandbox': {
      const {runSandboxCommand} = await import('./sandbox/command.js');
      const {join} = await import('node:path');
      const {given, ...sandbox} = args.sandbox;
      // Without --port or --scenario, a sandbox restarted on its state directory takes up its last ones.
      return runSandboxCommand({...sandbox, port: given.port ? sandbox.port : undefined, scenario: given.scenario ? sandbox.scenario : undefined, writeEnv: sandbox.writeEnv ?? undefined, dir: join(args.stateDir, 'sandbox'), github: true});
    }

  }
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A message can name a file or quote a runbook: printed inert, on one line.
    // Bad input (exit 2), or sharing that cannot start (exit 1): either way one line the operator can act on.
    if (error instanceof InputError || (error as Error)?.name === 'ShareError') {
      printError((error as Error).message);
      if (debug) print(`${(error as Error).stack}\n`, process.stderr);
      process.exitCode = error instanceof InputError ? error.exitCode : 1;
      return;
    }
    printError(`${(error as Error)?.message ?? String(error)}${debug ? '' : ' (run with --debug for details)'}`);
    if (debug) print(`${(error as Error)?.stack}\n`, process.stderr);
    process.exitCode = 1;
  },
);
