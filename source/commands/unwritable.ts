// Why a state directory cannot take a new session, in words the operator can act on: shared by the guided session's
// start and the headless rehearsal's.

const UNWRITABLE: Record<string, (dir: string) => {problem: string; remedy: string}> = {
  EROFS: dir => ({problem: `${dir} is on a read-only filesystem`, remedy: 'remount it read-write'}),
  EACCES: dir => ({problem: `${dir} is not writable by you (EACCES)`, remedy: 'fix its permissions'}),
  EPERM: dir => ({problem: `${dir} is not writable (EPERM)`, remedy: 'fix its permissions'}),
  ENOSPC: dir => ({problem: `the disk holding ${dir} is full`, remedy: 'free some space'}),
  EDQUOT: dir => ({problem: `your disk quota for ${dir} is used up`, remedy: 'free some space'}),
  ENOTDIR: dir => ({problem: `${dir} is not a directory (or is inside a file)`, remedy: 'give a directory'}),
};

/** Why the state directory cannot take a write, if that is what the error says: what is wrong, and what to do. */
export function unwritable(error: unknown, stateDir: string): {problem: string; remedy: string} | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ((error as {cause?: NodeJS.ErrnoException} | undefined)?.cause?.code);
  return code && UNWRITABLE[code] ? UNWRITABLE[code](stateDir) : null;
}
