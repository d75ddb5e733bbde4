// Whole-program tests run the real bundle: build it once before any test file starts.
import {execFileSync} from 'node:child_process';
import {ROOT} from './paths.js';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: ROOT, stdio: 'inherit'});
}
