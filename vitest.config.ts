import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file gets its own database and often its own server: allow for real start-up times.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
