// What is special about the shipped guide (its service, workflow, repository, release) comes from the guide's own
// text, never from generic code: any runbook gets the same treatment. The sandbox is the guide's world, so it may.
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const SOURCE = fileURLToPath(new URL('../../source', import.meta.url));
const GUIDE_NAMES = /overlord|ci-cd-full-cycle|legion14041981|v1\.2\.0/i;

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

describe('generic code', () => {
  it('names none of the guide’s constants outside source/sandbox', () => {
    const hits = files(SOURCE)
      .filter(path => !relative(SOURCE, path).startsWith('sandbox/'))
      .flatMap(path =>
        readFileSync(path, 'utf8')
          .split('\n')
          .flatMap((line, i) => (GUIDE_NAMES.test(line) ? [`source/${relative(SOURCE, path)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(hits).toEqual([]);
  });
});
