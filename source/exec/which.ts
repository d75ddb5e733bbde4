// The one PATH lookup in the app. Callers look a program up themselves, rather than letting spawn do it, when the
// PATH that matters is not the app's own (a block's environment) or when a missing program must be said, not thrown.
import {accessSync, constants} from 'node:fs';
import path from 'node:path';

/** The absolute path of `command` in the first directory of `searchPath` that holds it as an executable, if any. */
export function which(command: string, searchPath: string | undefined = process.env.PATH): string | undefined {
	for (const dir of (searchPath ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, command);
		try {
			accessSync(file, constants.X_OK);
			return file;
		} catch {
			// Not in this directory.
		}
	}
	return undefined;
}
