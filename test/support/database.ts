// A throwaway PostgreSQL database per test file, so files run in parallel without sharing
// rows, pg-boss state or migrations. TEST_DATABASE_URL points at the server to use.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type DbHandle, openDb } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

import { SERVER_URL } from './server-url.ts';

export { SERVER_URL };

export interface TestDatabase {
  url: string;
  name: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `failsafe_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(SERVER_URL, name);
  if (options.migrate ?? true) await migrate({ connectionString: url });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    url,
    name,
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      return (await pool.query<T>(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      // Give closing pools a moment to say goodbye, so FORCE rarely has anyone to cut off.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
        if (rows[0]?.n === 0) break;
        await new Promise((r) => setTimeout(r, 40));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** What a beforeAll hook fills in, empty until then. */
export type Unset<T> = { -readonly [K in keyof T]: T[K] | undefined };

/**
 * A view of `state`, whose properties a beforeAll hook fills in: reading one earlier (at module level,
 * say) throws rather than handing the test an undefined.
 */
export function setByBeforeAll<T extends object>(state: Unset<T>, owner: string): T {
  return new Proxy(state, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (value === undefined && Object.hasOwn(target, key))
        throw new Error(`${owner}: ${String(key)} is not set up yet; read it inside a test or hook`);
      return value;
    },
  }) as T;
}

export interface OpenedDatabase {
  readonly database: TestDatabase;
  readonly handle: DbHandle;
}

/** A migrated database for this test file, opened through the app's own client, dropped afterwards. */
export function useDatabase(options: { poolSize: number }): OpenedDatabase {
  const state: Unset<OpenedDatabase> = { database: undefined, handle: undefined };
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.handle = openDb(state.database.url, { poolSize: options.poolSize });
  });
  afterAll(async () => {
    await state.handle?.close();
    await state.database?.drop();
  });
  return setByBeforeAll(state, 'useDatabase');
}
