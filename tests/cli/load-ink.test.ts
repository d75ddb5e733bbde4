import {describe, expect, it} from 'vitest';
import {loadInteractive} from '../../source/commands/load-ink.js';

describe('loading Ink for an operator at a terminal', () => {
  it('hides CI flags while Ink loads and puts them back for the commands the operator runs', async () => {
    const env: NodeJS.ProcessEnv = {CI: 'true', CONTINUOUS_INTEGRATION: '1', HOME: '/root'};
    const seen = await loadInteractive(async () => ({...env}), env, true);
    expect(seen).toEqual({HOME: '/root'});
    expect(env).toEqual({CI: 'true', CONTINUOUS_INTEGRATION: '1', HOME: '/root'});
  });

  it('puts them back even when loading fails', async () => {
    const env: NodeJS.ProcessEnv = {CI: '1'};
    await expect(loadInteractive(async () => { throw new Error('no'); }, env, true)).rejects.toThrow('no');
    expect(env).toEqual({CI: '1'});
  });

  it('leaves them alone when output is not a terminal', async () => {
    const env: NodeJS.ProcessEnv = {CI: '1'};
    expect(await loadInteractive(async () => ({...env}), env, false)).toEqual({CI: '1'});
  });
});
