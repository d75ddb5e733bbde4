// Once per run, in vitest's own process, around all test files:
// - whole-program tests run the real bundle: build it once before any test file starts;
// - say which tests a missing tool (kubectl, root, …) will skip, before they run;
// - make the empty HOME every test worker uses (tests/helpers/isolate.ts) and remove it afterwards;
// - fail the run if it left anything named runbook-* in the temp directory: every test removes what it makes.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TestProject} from 'vitest/node';
import {byArea, type GatedTest, gatedTests} from './gated-tests.js';
import {ROOT} from './paths.js';
import {has, REQUIREMENTS, type Requirement, STRICT} from './needs.js';

/** The prefix of everything a test, a benchmark or the app under test makes in the temp directory. */
export const TEMP_PREFIX = 'runbook-';

const tempEntries = () => readdirSync(tmpdir()).filter(name => name.startsWith(TEMP_PREFIX));

/** One line per missing requirement: how many tests of the suite it gates and where, and what happens to them. */
async function announceMissing(): Promise<void> {
  const missing = (Object.keys(REQUIREMENTS) as Requirement[]).filter(need => !has(need));
  if (missing.length === 0) return;
  let gated: GatedTest[] | undefined;
  try {
    gated = await gatedTests(ROOT);
  } catch (error) {
    console.log(`(could not count the tests each requirement gates: ${error instanceof Error ? error.message : String(error)})`);
  }
  for (const need of missing) {
    const tests = gated?.filter(t => t.needs.includes(need));
    if (tests?.length === 0) continue;
    const {missing: why, install} = REQUIREMENTS[need];
    const which = tests ? `the suite's ${tests.length === 1 ? '1 test that needs' : `${tests.length} tests that need`} it (${byArea(tests)})` : 'the tests that need it';
    console.log(`${why}: ${which} ${STRICT ? 'fail, as RUNBOOK_TESTS_STRICT=1 forbids skipping' : 'are skipped'} — ${install}`);
  }
}

export default async function setup(project: TestProject) {
  const before = new Set(tempEntries());
  execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: ROOT, stdio: 'inherit'});
  await announceMissing();
  const home = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}test-home-`));
  project.provide('runbookTestHome', home);

  return () => {
    rmSync(home, {recursive: true, force: true});
    const left = tempEntries().filter(name => !before.has(name)).sort();
    if (left.length === 0) return;
    // Thrown here, vitest would report a "Startup Error"; a failed exit code and the names say it better.
    console.error(
      `\nFAIL  the run left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in ${tmpdir()} (every test must remove what it makes, also when it fails):\n` +
        left.map(name => `  ${name}\n`).join('') +
        '(Another run using the same temp directory at the same time can leave such entries too.)\n',
    );
    process.exitCode = 1;
  };
}
