// What a command printed: stdout and stderr captured while it runs, with its exit code.
import {vi} from 'vitest';

export async function capture(fn: () => Promise<number>): Promise<{code: number; out: string; err: string}> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(chunk => ((err += String(chunk)), true));
  try {
    return {code: await fn(), out, err};
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
