// The database: reachable, and every migration in prisma/migrations applied. Read-only: the
// doctor never migrates (start-up and `npm run db:migrate` do), it compares _prisma_migrations.
import type { Config } from '../config/env.ts';
import { openDb } from '../db/client.ts';
import { readMigrations } from '../db/migrate.ts';
import { migrationHistory } from '../store/migrations.ts';
import { type Check, fail, pass, skip } from './check.ts';

const CONNECT_MS = 10_000;
const MIGRATE = 'run `npm run db:migrate` with the same DATABASE_URL (start-up also migrates)';

export async function checkDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Check> {
  // The embedded PGlite belongs to the process that runs it; opening it here could clash with it.
  if (!config.databaseUrl)
    return skip(
      'Database',
      `embedded PGlite in ${config.dataDir} (DATABASE_URL unset): migrated at start-up, not checked`,
    );
  const { db, close } = openDb(config.databaseUrl, { poolSize: 1 });
  try {
    const history = await within(migrationHistory(db), CONNECT_MS).catch((error: unknown) => error as Error);
    if (history instanceof Error)
      return fail(
        'Database',
        `cannot connect (${connectionProblem(history)})`,
        'check DATABASE_URL: host, port, database, user and password',
      );
    const expected = (await readMigrations()).migrationDirectories.map((d) => d.path);
    if (history === null)
      return fail('Database', `reachable, not migrated (${expected.length} migrations pending)`, MIGRATE);
    const applied = new Set(history.applied);
    // A failed attempt stays in the table after a later one succeeds; only an unresolved one counts.
    const failed = history.failed.filter((name) => !applied.has(name));
    if (failed.length)
      return fail(
        'Database',
        `migration ${failed.join(', ')} failed part-way`,
        'see prisma/migrations; fix the database, mark it rolled back, then migrate again',
      );
    const pending = expected.filter((name) => !applied.has(name));
    if (pending.length)
      return fail('Database', `${pending.length} pending migration(s): ${pending.join(', ')}`, MIGRATE);
    return pass('Database', `reachable, all ${expected.length} migrations applied`);
  } finally {
    await close();
  }
}

/**
 * The driver adapter's kind of failure (DatabaseNotReachable, DatabaseDoesNotExist,
 * DatabaseAccessDenied…) or a code, never the message: it may quote the connection string.
 */
function connectionProblem(error: Error): string {
  const cause = (
    error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } }
  ).meta?.driverAdapterError?.cause;
  const code = (error as { code?: unknown }).code;
  const named = [cause?.kind, cause?.originalCode, code].find((c): c is string => typeof c === 'string');
  return named ?? error.name;
}

/** pg waits for a connection without a deadline; a host that drops packets must not hang the doctor. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timeout'), { code: `no answer within ${ms / 1000} s` })),
      ms,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
