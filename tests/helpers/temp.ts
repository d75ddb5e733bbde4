// Temporary directories for tests. Everything a test makes in the temp directory is named runbook-* (the global
// setup fails the run if any is left over) and goes when the test ends, passed or failed.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {onTestFinished} from 'vitest';

/** A fresh `runbook-<name>-XXXXXX` directory, removed when the current test finishes; call it inside a test. */
export function testTempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `runbook-${name}-`));
  onTestFinished(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}
