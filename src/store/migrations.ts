// What the database says about its own schema, for the readiness check.
import type { Tx } from './tx.ts';

/** Names of the migrations applied and not rolled back. */
export async function appliedMigrations(db: Tx): Promise<string[]> {
  const rows = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return rows.map((r) => r.migration_name);
}
