import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests drive Debian chromium against a real server; they run apart from the unit suite
// (`npx vitest run --config test/browser/vitest.config.ts`).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/build-web.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    // A property an answer carries but its response schema does not declare fails the test (server/schemas.ts).
    env: { FAZHI_STRICT_RESPONSES: '1' },
  },
});
