// What the database says about its own schema, for the readiness check.
import type { Tx } from './tx.ts';

/** Names of the migrations applied and not rolled back. */
export async function appliedMigrations(db: Tx): Promise<string[]> {
  const rows = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return rows.map((r) => r.migration_name);
}

/**
 * Applied and failed migrations, or null when the database was never migrated (no
 * _prisma_migrations table). Read-only, for `npm run doctor`.
 */
export async function migrationHistory(db: Tx): Promise<{ applied: string[]; failed: string[] } | null> {
  const [table] = await db.$queryRaw<{ exists: boolean }[]>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return null;
  const rows = await db.$queryRaw<{ migration_name: string; finished: boolean; rolled_back: boolean }[]>`
    SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
    FROM _prisma_migrations`;
  return {
    applied: rows.filter((r) => r.finished && !r.rolled_back).map((r) => r.migration_name),
    failed: rows.filter((r) => !r.finished && !r.rolled_back).map((r) => r.migration_name),
  };
}
