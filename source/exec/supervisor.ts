// The supervisor of the blocks: a small bash process, in a session of its own (outside every block's process group,
// out of reach of the terminal's Ctrl-C and of signals to the app's group), holding a socket from the app. The app
// tells it each block it starts (`watch`) and each block that is over (`done`). If the socket closes, the app died
// (kill -9, a crash, the terminal gone): for every block still watched it notes that in the run's exit file, ends the
// block's whole process group (SIGTERM, then SIGKILL after the grace period) and removes the block's environment
// dump. So a deploy never keeps running unseen after runbook is gone, and a resume can say what became of it.
//
// One supervisor serves every block of the app: started with the first block, it costs a line on a socket per block
// rather than a process. Every two seconds it forgets the groups that no longer exist, so a group id reused long
// after can never be signalled.

import {spawn, type ChildProcess} from 'node:child_process';
import {findBash} from './shell-state.js';

export type SupervisorOptions = {
	/** The block's process group. */
	group?: number;
	/** Appended `runbook-died <epoch seconds>` before the group is ended on the app's death. */
	exitFile?: string;
	/** Removed when the app dies (the block's environment dump). */
	dumpDir?: string;
};

export type Supervisor = {
	/** The block and all it started are gone, or the app took care of them: no longer watched. */
	done(): void;
	/** The supervisor's pid; 0 if it could not be started. */
	readonly pid: number;
};

/** Time between SIGTERM and SIGKILL to the groups of a dead app. */
const GRACE_TENTHS = 20;

// $1: grace in tenths of a second. Lines in: `watch ID<TAB>GROUP<TAB>EXIT_FILE<TAB>DUMP_DIR`, `done ID`.
const SCRIPT = `
declare -A group=() xfile=() dump=()
tab=$'\\t'
alive() { [ -n "$1" ] && kill -0 -- "-$1" 2>/dev/null; }
resolve() {
  local g=\${group[$1]-}
  case $g in ''|*[!0-9]*|0|1) g= ;; esac
  group[$1]=$g
}
forget() { unset "group[$1]" "xfile[$1]" "dump[$1]"; }
while :; do
  IFS= read -r -t 2 line
  rc=$?
  if [ $rc -eq 0 ]; then
    case $line in
      watch\\ *)
        rest=\${line#watch }
        id=\${rest%%"$tab"*}; rest=\${rest#*"$tab"}
        group[$id]=\${rest%%"$tab"*}; rest=\${rest#*"$tab"}
        xfile[$id]=\${rest%%"$tab"*}
        dump[$id]=\${rest#*"$tab"} ;;
      done\\ *) forget "\${line#done }" ;;
    esac
    continue
  fi
  [ $rc -gt 128 ] || break
  for id in "\${!group[@]}"; do
    resolve "$id"
    if [ -n "\${group[$id]}" ] && ! alive "\${group[$id]}"; then forget "$id"; fi
  done
done
ended=()
for id in "\${!group[@]}"; do
  resolve "$id"
  g=\${group[$id]}
  alive "$g" || continue
  [ -n "\${xfile[$id]}" ] && printf 'runbook-died %s\\n' "\${EPOCHREALTIME:-$(printf '%(%s)T' -1)}" >> "\${xfile[$id]}" 2>/dev/null
  kill -TERM -- "-$g" 2>/dev/null
  ended+=("$g")
done
i=0
while [ \${#ended[@]} -gt 0 ] && [ $i -lt "$1" ]; do
  left=
  for g in "\${ended[@]}"; do alive "$g" && left=1; done
  [ -z "$left" ] && break
  sleep 0.1
  i=$((i+1))
done
for g in "\${ended[@]}"; do alive "$g" && kill -KILL -- "-$g" 2>/dev/null; done
for id in "\${!dump[@]}"; do [ -n "\${dump[$id]}" ] && rm -rf -- "\${dump[$id]}"; done
exit 0
`;

type Shared = {child: ChildProcess; alive: boolean};
let shared: Shared | null = null;
let nextId = 0;

function current(): Shared | null {
	if (shared?.alive) return shared;
	let child: ChildProcess;
	try {
		child = spawn(findBash({}), ['-c', SCRIPT, 'runbook-supervisor', String(GRACE_TENTHS)], {
			detached: true,
			stdio: ['pipe', 'ignore', 'ignore'],
			env: {PATH: process.env.PATH ?? '/usr/bin:/bin'},
		});
	} catch {
		return null;
	}
	const started: Shared = {child, alive: child.pid !== undefined};
	child.on('error', () => (started.alive = false));
	child.on('exit', () => (started.alive = false));
	child.stdin?.on('error', () => (started.alive = false));
	// The app's exit must not wait for it: its whole purpose is to outlive the app.
	child.unref();
	(child.stdin as unknown as {unref?: () => void} | null)?.unref?.();
	shared = started;
	return started;
}

// A field with a tab or a line break would break the line it travels on; such a path goes unwatched.
const field = (value: string | number | undefined) => {
	const text = value === undefined ? '' : String(value);
	return /[\t\n\r]/.test(text) ? '' : text;
};

export function superviseGroup(options: SupervisorOptions): Supervisor {
	const supervisor = current();
	if (!supervisor?.child.stdin) return {pid: 0, done() {}};
	const id = ++nextId;
	const fields = [options.group, options.exitFile, options.dumpDir].map(field);
	supervisor.child.stdin.write(`watch ${id}\t${fields.join('\t')}\n`);
	let finished = false;
	return {
		pid: supervisor.child.pid ?? 0,
		done() {
			if (finished || !supervisor.alive) return;
			finished = true;
			supervisor.child.stdin?.write(`done ${id}\n`);
		},
	};
}
