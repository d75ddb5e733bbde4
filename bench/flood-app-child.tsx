// Child of bench/flood-app.ts: mounts the session screen on a one-block runbook and runs the flood through it.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {render} from 'ink-testing-library';
import {parseRunbook} from '../source/runbook/index.js';
import {SessionController} from '../source/session/controller.js';
import {MemorySessionStore} from '../source/session/store.js';
import {App} from '../source/ui/app.js';
import {initialViewState} from '../source/ui/use-session-view-state.js';

const lines = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'runbook-flood-'));
// Removed however the process ends: process.exit below, or a failure.
process.on('exit', () => rmSync(dir, {recursive: true, force: true}));
const runbook = parseRunbook(`# Flood\n\n## Print\n\n\`\`\`bash\nseq 1 ${lines}\n\`\`\`\n\n\`\`\`bash\ntrue\n\`\`\`\n`);
const controller = new SessionController({runbook, store: new MemorySessionStore('flood', join(dir, 'runs')), shell: {env: {PATH: process.env.PATH!}, cwd: dir}});
const app = render(<App controller={controller} target={() => ({mode: null, context: null, namespace: null, production: false})} initialView={initialViewState(0, false)} onView={() => {}} onQuit={() => {}} />);
let frames = 0;
const original = app.stdout.write.bind(app.stdout);
app.stdout.write = (frame: string) => {
  frames++;
  return original(frame);
};
// The runner module loads on first use; load it before timing, as any earlier block in a session would.
await controller.run(runbook.sections[0]!.blocks[1]!.id, {variables: {}, placeholders: {}, confirmed: false});
const started = performance.now();
const result = await controller.run(runbook.sections[0]!.blocks[0]!.id, {variables: {}, placeholders: {}, confirmed: false});
const ms = performance.now() - started;
if (!app.lastFrame()?.includes(String(lines))) throw new Error('the last line never reached the screen');
app.unmount();
process.stdout.write(`${JSON.stringify({ms, rssMb: process.resourceUsage().maxRSS / 1024, frames, exit: result?.exitCode})}\n`);
process.exit(0);
