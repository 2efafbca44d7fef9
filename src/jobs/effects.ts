// Exactly-once bookkeeping for side effects that cannot be undone (a page, a Slack post).
// The queue delivers a job at least once; a claim row in the database makes sure only one
// process performs the effect at a time, and a finished effect is never performed again.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export type Tx = Prisma.TransactionClient;

/** Another process holds the claim; the queue retries this later (it is not an upstream error). */
export class EffectBusyError extends Error {
  override readonly name = 'EffectBusyError';
  constructor(readonly key: string) {
    super(`effect ${key} is being performed by another process`);
  }
}

export interface EffectRun<T> {
  result: T;
  /** False when the effect had already been performed and `result` is the stored one. */
  performed: boolean;
}

export async function performOnce<T extends Prisma.InputJsonValue>(
  db: Db,
  key: string,
  options: {
    claimMs: number;
    /** Performs the effect; `attempt` is 1 the first time, so a retry can look for a half-done one. */
    perform: (attempt: number) => Promise<T>;
    /** Records the outcome in the same transaction that marks the effect done. */
    record?: (tx: Tx, result: T) => Promise<void>;
  },
): Promise<EffectRun<T>> {
  const claimed = await db.$queryRaw<{ attempts: number }[]>`
    INSERT INTO outbound_effect (key, claimed_until, attempts)
    VALUES (${key}, now() + ${options.claimMs} * interval '1 millisecond', 1)
    ON CONFLICT (key) DO UPDATE
      SET claimed_until = EXCLUDED.claimed_until, attempts = outbound_effect.attempts + 1
      WHERE outbound_effect.done_at IS NULL
        AND (outbound_effect.claimed_until IS NULL OR outbound_effect.claimed_until < now())
    RETURNING attempts`;
  const attempt = claimed[0]?.attempts;
  if (attempt === undefined) {
    const row = await db.outboundEffect.findUnique({ where: { key } });
    if (row?.doneAt) return { result: row.result as T, performed: false };
    throw new EffectBusyError(key);
  }
  let result: T;
  try {
    result = await options.perform(attempt);
  } catch (error) {
    await db.outboundEffect.update({
      where: { key },
      data: { claimedUntil: null, lastError: String((error as Error).message ?? error).slice(0, 500) },
    });
    throw error;
  }
  await db.$transaction(async (tx) => {
    await tx.outboundEffect.update({
      where: { key },
      data: { doneAt: new Date(), result, claimedUntil: null, lastError: null },
    });
    await options.record?.(tx, result);
  });
  return { result, performed: true };
}
