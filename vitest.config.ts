import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'bin/**/*.test.ts',
      'harness/**/*.test.ts',
      'server/**/*.test.ts',
      'stubs/**/*.test.ts',
      'test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2-core machines: forks keep PGlite/WASM and child processes isolated per file.
    pool: 'forks',
  },
});
