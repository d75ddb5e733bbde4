import {formatOutline, readRunbookFile} from '../runbook/index.js';
import {print, printJson} from './print.js';

export function showCommand(path: string, options: {json: boolean}): number {
  const runbook = readRunbookFile(path);
  if (options.json) printJson(runbook);
  else print(`${formatOutline(runbook, Math.min(process.stdout.columns || 100, 120))}\n`);
  return 0;
}
