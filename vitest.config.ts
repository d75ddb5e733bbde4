import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Whole-program tests drive real terminals and processes; two cores cannot take many at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
