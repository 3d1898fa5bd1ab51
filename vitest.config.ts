import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/core/**/*.test.ts', 'tests/engine/**/*.test.ts', 'tests/ui/**/*.test.ts', 'tests/worker/**/*.test.ts', 'tests/storage/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // engine tests are CPU-heavy; two files at once is all two cores can carry
    maxWorkers: 2,
  },
});
