// What every store function takes first. A function that takes `Tx` runs on the client or
// inside a transaction opened on it, so a caller can put several of them in one transaction;
// one that takes `Db` opens its own.
import type { Prisma } from '../generated/prisma/client.ts';

export type { Db } from '../db/client.ts';

export type Tx = Prisma.TransactionClient;

/** A unique index refused the row: a retry or another replica stored it first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}
