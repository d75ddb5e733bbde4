// Shared types of the command runner. Kept free of React/Ink so the runner can be used (and tested) headless.

import type {PlannedCommand} from '../runbook/command-plan.js';

/** What carries over from one block to the next, as if the operator typed every block into one shell. */
export type ShellState = {
	env: Record<string, string>;
	/**
	 * The shell's plain (unexported) scalar variables: `SERVICE_IP=$(…)` in one block is still there in the next, and
	 * no child process sees it. Optional: a state from before they were carried has none.
	 */
	vars?: Record<string, string>;
	cwd: string;
};

export type RunProgress = {
	/** Last complete lines (bounded, redacted, cleaned for display). */
	tail: string[];
	/** The unterminated last line as a terminal would show it (after its last `\r`). */
	partial: string;
	lines: number;
	bytes: number;
	elapsedMs: number;
};

export type RunOptions = {
	script: string;
	shell: ShellState;
	outputFile: string;
	/** Known secret values (e.g. from a vault) to mask in the file and the tail; values shorter than MIN_GIVEN_SECRET_LENGTH are ignored. */
	secrets?: string[];
	/** Also mask the values of variables whose names look secret (see isSecretName). Default true. */
	redactEnvSecrets?: boolean;
	tailLines?: number;
	maxLineLength?: number;
	/** Batched: at most once per flushIntervalMs while output arrives, and always once at the end. */
	onProgress?: (progress: RunProgress) => void;
	flushIntervalMs?: number;
	/** Time between SIGTERM and SIGKILL to the process group on cancel. */
	killGraceMs?: number;
	/**
	 * How long to keep waiting for output after bash itself exited. A background job (`port-forward &`) keeps the
	 * pipe open; after this the run is reported as done and the job's output keeps going to the file.
	 */
	drainGraceMs?: number;
	/**
	 * Where the block's environment dump goes while it runs (a 0700 directory of its own is made inside, and removed
	 * when the run ends). The app always gives its state directory; the system temp directory if unset.
	 */
	scratchDir?: string;
	/** Where the block's shell notes its exit and its supervisor notes the app's death (see supervisor.ts). */
	exitFile?: string;
	/**
	 * Called once the block's process exists but before it runs anything, with its process group: the caller records
	 * the run here. Returning false ends the process unrun.
	 */
	beforeStart?: (process: {pid: number; identity: string | null}) => boolean;
	/** Secret values the block assigned itself, as it assigns them (already masked in the output from then on). */
	onSecrets?: (values: string[]) => void;
	/** The block's logical commands (runbook/command-plan.ts): searches and followers are instrumented by wrapScript. */
	plan?: PlannedCommand[];
};

export type RunResult = {
	exitCode: number | null;
	signal: string | null;
	cancelled: boolean;
	startedAt: string;
	endedAt: string;
	durationMs: number;
	/** The shell state after the block; the previous one if the block was cancelled or left no dump. */
	shell: ShellState;
	/** null for attached (interactive) runs, whose output went straight to the terminal. */
	outputFile: string | null;
	lines: number;
	bytes: number;
	tail: string[];
	/** Set when the block could not be started or its output could not be recorded. */
	error?: string;
	/** True when bash exited but something it started in the background still holds its output open. */
	backgroundOutput?: boolean;
	/** For a failed run: the line of the script (1-based) whose command stopped it, when bash could tell. */
	failedLine?: number;
	/** Commands of the block that ended in a way that did not stop it (see CommandNote); absent when none. */
	commandNotes?: CommandNote[];
};

/**
 * A command of the block (by its PlannedCommand index) that ended without stopping the block: a search that found
 * nothing, or a follower the operator ended with Ctrl-C.
 */
export type CommandNote = {index: number; note: 'no-match' | 'stopped'};

export type RunHandle = {
	/** Process id of bash, which is also the id of its process group; 0 if it could not be spawned. */
	pid: number;
	done: Promise<RunResult>;
	/**
	 * SIGTERM to the whole process group, SIGKILL after killGraceMs. After `done`, it kills only what the block left
	 * running in the background (if anything).
	 */
	cancel(): void;
};
