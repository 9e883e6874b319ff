import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Storage suites share one PostgreSQL cluster; each file gets its own database.
    fileParallelism: true,
    pool: 'forks',
    // A property an answer carries but its response schema does not declare fails the test (server/schemas.ts).
    env: { FAZHI_STRICT_RESPONSES: '1' },
    // A data key for personal fields and attachments (SECURITY.md, 数据保密性).
    setupFiles: ['test/support/data-key-setup.ts'],
  },
});
