import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // Builds the bundle, makes the run's empty HOME, says which tests a missing tool skips, and fails the run if
    // it left anything in the temp directory.
    globalSetup: ['tests/helpers/global-setup.ts'],
    // In every worker before any test: no developer credentials, tokens or kubeconfig; HOME is the run's empty dir.
    setupFiles: ['tests/helpers/isolate.ts'],
    // The default output, then one line per missing tool with the number of tests it skipped.
    reporters: ['default', './tests/helpers/skip-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Whole-program tests drive real terminals and processes; two cores cannot take many at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
