import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One migrated Unleash database the kill-switch files copy (see the file).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own PostgreSQL database, so files run in parallel safely.
    fileParallelism: true,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on our 2-core CI,
    // which left the CPUs mostly idle (the files spend their time waiting on HTTP, the
    // database, retries and timers a few real seconds away). Four workers keep 2 cores busy
    // without starving the timing-sensitive files; FAILSAFE_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.FAILSAFE_TEST_WORKERS ?? 4),
  },
});
