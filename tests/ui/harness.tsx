import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {render} from 'ink-testing-library';
import {onTestFinished} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {App} from '../../source/ui/app.js';
import {initialViewState} from '../../source/ui/use-session-view-state.js';

export const KEYS = {up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', enter: '\r', escape: '\u001B', ctrlC: '\u0003', backspace: '\u007F'};

export const tick = (ms = 30) => new Promise(resolve => setTimeout(resolve, ms));

export function mountSession(markdown: string, options: {outline?: boolean; cwd?: string} = {}) {
  const runbook = parseRunbook(markdown, {path: 'test.md'});
  const dir = mkdtempSync(join(tmpdir(), 'runbook-ui-'));
  // Mounted inside a test: the session's directory goes when the test ends, whether it passed or not.
  onTestFinished(() => rmSync(dir, {recursive: true, force: true}));
  const controller = new SessionController({
    runbook,
    store: new MemorySessionStore('test-session', join(dir, 'runs')),
    shell: {env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir}, cwd: options.cwd ?? dir},
  });
  let quit = false;
  const app = render(
    <App
      controller={controller}
      target={() => ({mode: null, context: null, namespace: null, production: false})}
      initialView={initialViewState(0, options.outline ?? false)}
      onView={() => {}}
      onQuit={() => (quit = true)}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await tick();
    }
  };
  const type = async (text: string) => {
    app.stdin.write(text);
    await tick();
  };
  const waitFor = async (pattern: RegExp, ms = 10_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (pattern.test(frame())) return frame();
      await tick(25);
    }
    throw new Error(`timed out waiting for ${pattern}; last frame:\n${frame()}`);
  };
  return {app, controller, frame, press, type, waitFor, dir, quitted: () => quit};
}
