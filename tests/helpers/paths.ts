import {fileURLToPath} from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The user's guide exactly as handed over, encoding damage included. */
export const SEED_GUIDE = fileURLToPath(new URL('../fixtures/production-deployment-guide.seed.md', import.meta.url));
/** The guide as shipped in runbooks/, encoding repaired. */
export const SHIPPED_GUIDE = fileURLToPath(new URL('../../runbooks/production-deployment-guide.md', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
