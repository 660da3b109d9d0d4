import { defineConfig } from 'vitest/config';

/**
 * Two tiers (docs/architecture.md#tests): `unit` needs no Redis, no sandbox server and no child process
 * (`npm run test:unit`, seconds); `integration` starts real redis-server processes, sandboxes, workers and
 * browsers. `npm test` runs both.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores here and in CI: integration tests start sandboxes and workers of their own.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/architecture/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-redis.ts'],
        },
      },
    ],
  },
});
