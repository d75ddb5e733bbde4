// A sandbox's saved world: one JSON file in its own state directory, written whole to a temporary file and renamed
// (a reader, or a restart after a crash, sees the previous version or the next, never half of one), at most every
// `delayMs` however often the world changes, and once more on stop. It may hold tokens: mode 0600, in a 0700 directory.
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {rename, rm, writeFile} from 'node:fs/promises';

export class StateFile<T> {
	private timer: NodeJS.Timeout | null = null;
	private lastWrite = 0;
	private writing: Promise<void> = Promise.resolve();
	private closed = false;

	constructor(
		readonly path: string,
		private readonly produce: () => T,
		private readonly delayMs = 500,
	) {}

	/** The saved state, or undefined when there is none (or it cannot be read: then the world starts afresh). */
	static read<T>(path: string): T | undefined {
		try {
			return JSON.parse(readFileSync(path, 'utf8')) as T;
		} catch {
			return undefined;
		}
	}

	/** Something changed: save within `delayMs`. */
	schedule(): void {
		if (this.timer || this.closed) return;
		const wait = Math.max(0, this.lastWrite + this.delayMs - Date.now());
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.save();
		}, wait);
		this.timer.unref();
	}

	/** Saves now (after any write under way); later `schedule` calls are ignored once `final` is set. */
	save(final = false): Promise<void> {
		if (final) {
			this.closed = true;
			if (this.timer) clearTimeout(this.timer);
			this.timer = null;
		}
		this.lastWrite = Date.now();
		const text = `${JSON.stringify(this.produce())}\n`;
		this.writing = this.writing.then(() => writeAtomically(this.path, text)).catch(error => {
			process.emitWarning(`sandbox state not saved (${this.path}): ${error instanceof Error ? error.message : String(error)}`);
		});
		return this.writing;
	}
}

async function writeAtomically(target: string, text: string): Promise<void> {
	const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	try {
		await writeFile(temp, text, {mode: 0o600});
		await rename(temp, target);
	} catch (error) {
		await rm(temp, {force: true});
		throw error;
	}
}
