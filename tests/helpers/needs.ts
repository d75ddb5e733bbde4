// What a test may need from the machine beyond Node and npm, how to tell whether it is there, and what to say when
// it is not. Free of vitest, so that the global setup and the skip reporter (which run in vitest's own process,
// where test APIs cannot be imported) share it with tests/helpers/requirements.ts.
import {which} from '../../source/exec/which.js';

export type Requirement = 'kubectl' | 'root' | 'git' | 'gh' | 'curl' | 'make';

/** What each requirement gates and how to get it: printed by the setup step and used in skip reasons. */
export const REQUIREMENTS: Record<Requirement, {probe: () => boolean; missing: string; install: string}> = {
  kubectl: {probe: () => onPath('kubectl'), missing: 'kubectl not found', install: 'install kubectl to run them'},
  root: {
    probe: () => process.getuid?.() === 0 && onPath('mount'),
    missing: 'not root (a tmpfs mount is needed)',
    install: 'run the suite as root to run them',
  },
  git: {probe: () => onPath('git'), missing: 'git not found', install: 'install git to run them'},
  gh: {probe: () => onPath('gh'), missing: 'gh not found', install: 'install gh (apt-get install gh) to run them'},
  curl: {probe: () => onPath('curl'), missing: 'curl not found', install: 'install curl to run them'},
  make: {probe: () => onPath('make'), missing: 'make not found', install: 'install make to run them'},
};

export const STRICT = process.env.RUNBOOK_TESTS_STRICT === '1';

export const onPath = (command: string): boolean => which(command) !== undefined;

const cache = new Map<Requirement, boolean>();
export const has = (need: Requirement) => {
  if (!cache.has(need)) cache.set(need, REQUIREMENTS[need].probe());
  return cache.get(need)!;
};

/** The tag a skipped test carries in its name; the skip reporter counts tests by it. */
export const skipTag = (need: Requirement) => `[skipped: ${REQUIREMENTS[need].missing}]`;
