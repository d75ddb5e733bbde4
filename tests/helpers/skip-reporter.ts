// After the run, one line per missing requirement with the number of tests it skipped, read from the
// `[skipped: …]` tags describeNeeds/itNeeds put in test and suite names (tests/helpers/requirements.ts).
// Prints nothing when nothing was skipped for a requirement.
import type {Reporter, TestModule, Vitest} from 'vitest/node';
import {REQUIREMENTS} from './needs.js';

const TAG = /\[skipped: ([^\]]+)\]/g;

export default class SkipReporter implements Reporter {
  private vitest?: Vitest;

  onInit(vitest: Vitest) {
    this.vitest = vitest;
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        for (const reason of new Set([...test.fullName.matchAll(TAG)].map(m => m[1]!))) counts.set(reason, (counts.get(reason) ?? 0) + 1);
      }
    }
    if (counts.size === 0) return;
    const lines = [...counts].map(([reason, n]) => {
      const install = Object.values(REQUIREMENTS).find(r => r.missing === reason)?.install;
      return `${reason}: ${n} test${n === 1 ? '' : 's'} skipped${install ? ` — ${install}` : ''}`;
    });
    // After the default reporter's summary, which vitest 3 prints from the onFinished event it reports alongside.
    await new Promise(resolve => setImmediate(resolve));
    const log = (text: string) => (this.vitest ? this.vitest.logger.log(text) : console.log(text));
    log(lines.join('\n'));
  }
}
