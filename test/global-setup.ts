// Once per `npm test`: Unleash's ~1,600 migrations applied to one template database, so each
// test file's unleash-server starts on a copy (CREATE DATABASE … TEMPLATE) with migrations
// disabled, instead of migrating its own database. That saves seconds per kill-switch file
// and keeps db-migrate out of the workers: it installs uncaughtException/unhandledRejection
// handlers that call process.exit(1), which lost a worker whenever anything else rejected.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { SERVER_URL } from './support/server-url.ts';
import { unleashDbConfig } from './support/unleash-db.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** The migrated Unleash database test files copy; see test/support/unleash.ts. */
    unleashTemplate: string;
  }
}

async function admin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `unleash_template_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const { migrateDb } = await import('unleash-server');
  // db-migrate's exit-on-error handlers must not stay in vitest's own process either.
  type Listener = (...args: unknown[]) => void;
  const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (event: (typeof EVENTS)[number]) => process.listeners(event as 'exit') as Listener[];
  const before = new Set(EVENTS.flatMap(listeners));
  try {
    // unleash-server adds the driver itself when it starts; its migrator alone needs it said.
    await migrateDb({ db: { ...unleashDbConfig(name), driver: 'postgres' } } as never);
  } catch (error) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    throw error;
  } finally {
    for (const event of EVENTS)
      for (const listener of listeners(event)) if (!before.has(listener)) process.off(event, listener);
  }
  // A template may have no open connections while it is copied.
  await admin(async (c) => {
    for (let i = 0; i < 100; i++) {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
        name,
      ]);
      if (rows[0]?.n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  project.provide('unleashTemplate', name);
  return async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
}
