import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Several suites start servers and share the machine's Redis; files run in parallel
    // workers, each suite picks free ports and its own key prefixes.
    pool: 'forks',
  },
});
