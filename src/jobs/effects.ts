// Exactly-once bookkeeping for side effects that cannot be undone (a page, a Slack post).
// The queue delivers a job at least once; a claim row in the database makes sure only one
// process performs the effect at a time, and a finished effect is never performed again.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Faults } from '../kernel/crash-points.ts';
import { claimEffect, findEffect, markEffectDone, releaseEffect } from '../store/effects.ts';
import type { Tx } from '../store/tx.ts';

export type { Tx } from '../store/tx.ts';

/** Another process holds the claim; the queue retries this later (it is not an upstream error). */
export class EffectBusyError extends Error {
  override readonly name = 'EffectBusyError';
  readonly key: string;
  constructor(key: string) {
    super(`effect ${key} is being performed by another process`);
    this.key = key;
  }
}

export interface EffectRun<T> {
  result: T;
  /** False when the effect had already been performed and `result` is the stored one. */
  performed: boolean;
}

/** The database that holds the claims, and the crash tests' hook between perform and record. */
export interface EffectDeps {
  db: Db;
  faults: Faults;
}

export async function performOnce<T extends Prisma.InputJsonValue>(
  deps: EffectDeps,
  key: string,
  options: {
    claimMs: number;
    /** Performs the effect; `attempt` is 1 the first time, so a retry can look for a half-done one. */
    perform: (attempt: number) => Promise<T>;
    /** Records the outcome in the same transaction that marks the effect done. */
    record?: (tx: Tx, result: T) => Promise<void>;
  },
): Promise<EffectRun<T>> {
  const { db } = deps;
  const cap = deps.faults.leaseCapMs;
  const attempt = await claimEffect(
    db,
    key,
    cap === undefined ? options.claimMs : Math.min(cap, options.claimMs),
  );
  if (attempt === undefined) {
    const row = await findEffect(db, key);
    if (row?.doneAt) return { result: row.result as T, performed: false };
    throw new EffectBusyError(key);
  }
  let result: T;
  try {
    result = await options.perform(attempt);
  } catch (error) {
    await releaseEffect(db, key, String((error as Error).message ?? error));
    throw error;
  }
  // The window a crash test aims at: the upstream has it, our record does not.
  deps.faults.crashAt('effect-performed', key);
  await db.$transaction(async (tx) => {
    await markEffectDone(tx, key, result);
    await options.record?.(tx, result);
  });
  return { result, performed: true };
}
