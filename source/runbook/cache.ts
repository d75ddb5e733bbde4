// The parsed model of a runbook, cached by the hash of its bytes: opening the same runbook again skips the
// markdown parser entirely (and never loads it), which is most of the start-up time.

import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {decodeRunbook, readRunbookBytes} from './file.js';
import type {Runbook} from './model.js';

/** Bump when the model's shape or the parser's output changes, so old cache entries are ignored. */
export const MODEL_VERSION = 3;

export async function loadRunbook(path: string, cacheDir: string | null, onProgress?: (fraction: number) => void): Promise<Runbook> {
  const bytes = readRunbookBytes(path);
  const key = `${createHash('sha256').update(bytes).digest('hex')}-v${MODEL_VERSION}.json`;
  if (cacheDir) {
    try {
      const cached = JSON.parse(readFileSync(join(cacheDir, key), 'utf8')) as Runbook;
      return {...cached, path};
    } catch {
      // missing or unreadable: parse again
    }
  }
  const {text, warnings} = decodeRunbook(path, bytes);
  const {parseRunbook} = await import('./parse.js');
  const runbook = parseRunbook(text, {path, warnings, onProgress});
  if (cacheDir) {
    try {
      mkdirSync(cacheDir, {recursive: true});
      const tmp = join(cacheDir, `.${key}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(runbook));
      renameSync(tmp, join(cacheDir, key));
    } catch {
      // a cache that cannot be written only costs time
    }
  }
  return runbook;
}
