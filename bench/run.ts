// `npm run bench [-- NAME] [-- --json]`: every benchmark, or the one named.
import {benchFloodApp} from './flood-app.js';
import {benchParse} from './parse.js';
import {benchPodsFrame} from './pods-frame.js';
import {benchPodsWatch} from './pods-watch.js';
import {benchShareLatency} from './share-latency.js';
import {benchStartup} from './startup.js';
import {benchState} from './state.js';
import {report, type Result} from './report.js';

const benches: Record<string, () => Promise<Result[]> | Result[]> = {
  parse: benchParse,
  startup: () => benchStartup(),
  'output-flood': () => benchFloodApp(),
  'state-scale': () => benchState(),
  // Issue 8's pods-watch is the key-to-frame latency through the panes; the data layer's own figures are pods-data.
  'pods-watch': () => benchPodsFrame(),
  'pods-data': () => benchPodsWatch(),
  // Issue 18: a tick on the driver to the frame on the follower, against the driver's own frame.
  'share-latency': () => benchShareLatency(),
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const names = args.filter(a => !a.startsWith('--'));
const unknown = names.filter(n => !benches[n]);
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
const results: Result[] = [];
for (const name of names.length ? names : Object.keys(benches)) results.push(...(await benches[name]!()));
report(results, json);
