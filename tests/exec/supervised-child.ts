// "The app" for the supervisor test: starts two process groups under the supervisor, says the second is over (as
// the app does once a block's group is gone), prints `ready`, then waits to be killed.
//   WATCHED=MARKER OVER=MARKER node --import tsx supervised-child.ts EXIT_FILE DUMP_DIR   (markers by environment, so
//   that this process's own command line does not carry them)
import {spawn} from 'node:child_process';
import {superviseGroup} from '../../source/exec/supervisor.js';

const [exitFile, dumpDir] = process.argv.slice(2) as [string, string];
const {WATCHED: watched, OVER: over} = process.env as {WATCHED: string; OVER: string};
setTimeout(() => process.exit(3), 30_000).unref(); // never outlive a broken test
const group = (marker: string) => spawn('bash', ['-c', `exec -a ${marker} sleep 300`], {detached: true, stdio: 'ignore'}).pid!;
superviseGroup({group: group(watched), exitFile, dumpDir});
superviseGroup({group: group(over)}).done();
setInterval(() => {}, 1000);
setTimeout(() => process.stdout.write('ready\n'), 200);
