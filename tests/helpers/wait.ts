// Polling helpers shared by the suites that drive real servers (sandbox cluster, sandbox GitHub, kube caches).

import {setTimeout as sleep} from 'node:timers/promises';

export {sleep};

/** Polls `probe` until it returns something truthy; errors count as "not yet" and the last one is reported. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition', intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** kubectl's aligned table output, split at the header's column starts (cells may contain spaces). */
export function parseTable(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter(l => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = lines[0]!;
  const starts: Array<{name: string; at: number}> = [];
  const re = /(\S+(?: \S+)*)/g;
  for (let m = re.exec(header); m; m = re.exec(header)) starts.push({name: m[1]!, at: m.index});
  return lines.slice(1).map(line => {
    const row: Record<string, string> = {};
    starts.forEach((col, i) => {
      row[col.name] = line.slice(col.at, i + 1 < starts.length ? starts[i + 1]!.at : undefined).trim();
    });
    return row;
  });
}
