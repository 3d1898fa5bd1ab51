import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/core/**/*.test.ts',
      'tests/engine/**/*.test.ts',
      'tests/ui/**/*.test.ts',
      'tests/worker/**/*.test.ts',
      'tests/storage/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // engine tests are CPU-heavy; two files at once is all two cores can carry
    maxWorkers: 2,
    // the type-only tests (expectTypeOf) also run through tsc, so a type that drifts fails `vitest run`
    // (at run time expectTypeOf checks nothing)
    typecheck: {
      enabled: true,
      include: ['tests/**/*-types.test.ts'],
      tsconfig: 'tsconfig.json',
      // tsc checks the whole project here; errors outside the type tests are `npm run typecheck`'s to report
      ignoreSourceErrors: true,
    },
  },
});
