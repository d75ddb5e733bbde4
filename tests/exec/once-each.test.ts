// Issue 14, item 4: the helpers the app had written several times, now one each; these pin the rules they settled on.
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {secretValuesFromEnv} from '../../source/exec/index.js';
import {which} from '../../source/exec/which.js';
import {isSecretValue, MIN_GIVEN_SECRET_LENGTH, MIN_NAMED_SECRET_LENGTH} from '../../source/runbook/secret-names.js';
import {shellQuote, shellWord} from '../../source/runbook/shell-words.js';
import {secretsFromEnv} from '../../source/session/secret-guard.js';
import {formatDuration} from '../../source/terminal/duration.js';

describe('formatDuration: one rule for the screen, the resume notes, the report and the metrics', () => {
  it('reads the same on the screen (packed) and in the report (spaced)', () => {
    const ms = [-5, 0, 850, 4_240, 59_940, 60_000, 65_400, 725_000, 3_600_000 + 125_000];
    expect(ms.map(m => formatDuration(m))).toEqual(['0 ms', '0 ms', '850 ms', '4.2 s', '59.9 s', '1m00s', '1m05s', '12m05s', '1h02m']);
    expect(ms.map(m => formatDuration(m, {spaced: true}))).toEqual(['0 ms', '0 ms', '850 ms', '4.2 s', '59.9 s', '1m 00s', '1m 05s', '12m 05s', '1h 02m']);
    expect(formatDuration(null)).toBe('—');
  });
});

describe('shell quoting', () => {
  it('quotes any text as one word, and leaves a plain word bare', () => {
    expect(shellQuote("it's\nx")).toBe(`'it'\\''s\nx'`);
    expect(['kubectl', 'a/b:c', '~/.kube/config', 'two words', "o'k", ''].map(shellWord)).toEqual(['kubectl', 'a/b:c', '~/.kube/config', "'two words'", `'o'\\''k'`, "''"]);
  });
});

describe('which', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
  });

  it('finds the first executable of that name on the given PATH, and nothing on an empty one', () => {
    const a = mkdtempSync(join(tmpdir(), 'runbook-which-'));
    const b = mkdtempSync(join(tmpdir(), 'runbook-which-'));
    dirs.push(a, b);
    writeFileSync(join(a, 'tool'), '#!/bin/sh\n'); // not executable: passed over
    writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
    chmodSync(join(b, 'tool'), 0o755);
    expect(which('tool', [a, b].join(delimiter))).toBe(join(b, 'tool'));
    expect(which('tool', '')).toBeUndefined();
  });
});

describe('the secret minimum lengths', () => {
  it('masks a value by its name alone from six characters, never a path or a plain number, everywhere alike', () => {
    expect(MIN_GIVEN_SECRET_LENGTH).toBeLessThan(MIN_NAMED_SECRET_LENGTH);
    const env = {DB_PASSWORD: 'hunter', API_TOKEN: 'short', KEY_FILE: '/home/op/.ssh/id', TOKEN_TTL: '36000000', HOME_DIR: 'plain-value'};
    expect(Object.entries(env).filter(([n, v]) => isSecretValue(n, v)).map(([n]) => n)).toEqual(['DB_PASSWORD']);
    // The runner's output and the store's record take the same values from the same environment.
    expect(secretValuesFromEnv(env)).toEqual(['hunter']);
    expect(secretsFromEnv(env)).toEqual(['hunter']);
  });
});
