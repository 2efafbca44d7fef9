import { defineConfig } from 'vitest/config';

// Files that start a real unleash-server. It registers its metrics in prom-client's global
// registry, so two in one process collide: these keep a fresh process per file.
const UNLEASH_FILES = [
  'test/adapters/unleash.test.ts',
  'test/capabilities/kill-switch/*.test.ts',
  'test/faults/kill-switch-crash.test.ts',
];

export default defineConfig({
  test: {
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
    // A missing golden file or snapshot fails, on every machine: vitest would otherwise write it
    // silently outside CI and pass. `npx vitest run -u` still writes them, for review in the diff.
    update: 'none',
    projects: [
      {
        extends: true,
        test: {
          name: 'unleash',
          include: UNLEASH_FILES,
          // One migrated Unleash database the files copy (see the file).
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts'],
          exclude: UNLEASH_FILES,
          // A worker runs file after file in one process: importing Bolt, Prisma, pg-boss and
          // the app once per worker instead of once per file halves the suite's CPU time.
          // Nothing in src keeps process-global state (metrics have their own registry), and
          // every file starts and stops its own app, fakes and database.
          isolate: false,
        },
      },
    ],
  },
});
