import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['labs/**/*.test.ts', 'src/**/*.test.ts', 'scripts/**/*.test.ts'],
          // Whole lab runs take seconds, and many more on a busy machine: no test here
          // asserts a time, so the limit only catches a hang.
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'site',
          include: ['tests/site/**/*.test.ts'],
          globalSetup: ['tests/site/global-setup.ts'],
          // Three files at a time, each with its own browser: pages also wait (network idle,
          // workers, builds), so the run is a little shorter even on CI's two busy cores.
          maxWorkers: 3,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
