import {formatOutline, readRunbookFile} from '../runbook/index.js';

export function showCommand(path: string, options: {json: boolean}): number {
  const runbook = readRunbookFile(path);
  if (options.json) process.stdout.write(`${JSON.stringify(runbook, null, 2)}\n`);
  else process.stdout.write(`${formatOutline(runbook, Math.min(process.stdout.columns || 100, 120))}\n`);
  return 0;
}
