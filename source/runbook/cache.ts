// The parsed model of a runbook, cached by the hash of its bytes: opening the same runbook again skips the
// markdown parser entirely (and never loads it), which is most of the start-up time.

import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {decodeRunbook, readRunbookBytes} from './file.js';
import type {Runbook} from './model.js';
import {isSecretName} from './secret-names.js';

/** Bump when the model's shape or the parser's output changes, so old cache entries are ignored (5: targets, rollback). */
export const MODEL_VERSION = 5;

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
  // A runbook that spells out a secret (`export DB_PASSWORD=hunter2`) is not copied into the state directory: nothing
  // there may hold a secret in clear. It is parsed again each time instead.
  if (cacheDir && !spellsOutSecret(text)) {
    const tmp = join(cacheDir, `.${key}.${process.pid}.tmp`);
    try {
      // The state directory's modes throughout: 0700 directories, 0600 files.
      mkdirSync(cacheDir, {recursive: true, mode: 0o700});
      writeFileSync(tmp, JSON.stringify(runbook), {mode: 0o600});
      renameSync(tmp, join(cacheDir, key));
    } catch {
      // A cache that cannot be written only costs time; a full disk must not keep the half-written file.
      rmSync(tmp, {force: true});
    }
  }
  return runbook;
}

/** Whether the text assigns a literal value (not `$(…)` or `$VAR`) to a secret-named variable. */
export function spellsOutSecret(text: string): boolean {
  for (const match of text.matchAll(/(?<![\w$])([A-Za-z_][A-Za-z0-9_]*)=["']?([^\s"'$`;&|]{4,})/g)) if (isSecretName(match[1]!)) return true;
  return false;
}
