import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;

export interface DbHandle {
  db: Db;
  close(): Promise<void>;
}

/**
 * Prisma over our own pg pool: an idle connection the server drops (a restart, a failover)
 * then surfaces as a logged pool error instead of an unhandled 'error' event that kills the
 * process, and close() really ends every connection.
 */
export function openDb(
  connectionString: string,
  options: { poolSize?: number; onError?: (error: Error) => void } = {},
): DbHandle {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 });
  pool.on('error', (error) => options.onError?.(error));
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    db,
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
