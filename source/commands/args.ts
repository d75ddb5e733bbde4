// Command-line parsing: one table of commands and options, errors as one line with exit code 2.

import {parseArgs} from 'node:util';
import {InputError} from '../runbook/errors.js';

export const USAGE = `runbook — walk a markdown runbook step by step: run its commands, keep its checklist.

Usage:
  runbook [FILE]                 open FILE in the guided session (default: the production deployment guide)
  runbook show FILE [--json]     print the runbook's outline, or its model as JSON

Options:
  --state-dir DIR   where sessions are kept (default ./state, or RUNBOOK_STATE_DIR)
  --debug           show stack traces
  -h, --help        this help
  -v, --version     the version`;

export interface CliArgs {
  command: 'open' | 'show' | 'help' | 'version';
  file: string | null;
  json: boolean;
  stateDir: string;
  debug: boolean;
}

const COMMANDS = new Set(['show']);

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: {type: 'boolean', default: false},
        'state-dir': {type: 'string'},
        debug: {type: 'boolean', default: false},
        help: {type: 'boolean', short: 'h', default: false},
        version: {type: 'boolean', short: 'v', default: false},
      },
    });
  } catch (error) {
    throw new InputError(`${(error as Error).message.replace(/\. To specify.*$/, '')}; see 'runbook --help'`);
  }
  const {values, positionals} = parsed;
  const stateDir = values['state-dir'] ?? env.RUNBOOK_STATE_DIR ?? 'state';
  const base = {json: values.json ?? false, stateDir, debug: values.debug ?? false};
  if (values.help) return {...base, command: 'help', file: null};
  if (values.version) return {...base, command: 'version', file: null};
  const [first, ...rest] = positionals;
  if (first && COMMANDS.has(first)) {
    if (first === 'show') {
      if (rest.length !== 1) throw new InputError("show needs exactly one FILE; e.g. 'runbook show runbooks/production-deployment-guide.md'");
      return {...base, command: 'show', file: rest[0]!};
    }
  }
  if (positionals.length > 1) throw new InputError(`unexpected argument '${positionals[1]}'; see 'runbook --help'`);
  return {...base, command: 'open', file: first ?? null};
}
