// The claim rows behind performOnce (src/jobs/effects.ts): one per outbound side effect,
// claimed with an expiry so one process at a time performs it, and marked done with the
// result so a repeat returns the first one instead of acting again.
import type { OutboundEffect, Prisma } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

/**
 * Claims the effect for `claimMs`; returns the attempt number (1 the first time), or
 * undefined when it is done already or another process holds an unexpired claim.
 */
export async function claimEffect(db: Tx, key: string, claimMs: number): Promise<number | undefined> {
  const claimed = await db.$queryRaw<{ attempts: number }[]>`
    INSERT INTO outbound_effect (key, claimed_until, attempts)
    VALUES (${key}, now() + ${claimMs} * interval '1 millisecond', 1)
    ON CONFLICT (key) DO UPDATE
      SET claimed_until = EXCLUDED.claimed_until, attempts = outbound_effect.attempts + 1
      WHERE outbound_effect.done_at IS NULL
        AND (outbound_effect.claimed_until IS NULL OR outbound_effect.claimed_until < now())
    RETURNING attempts`;
  return claimed[0]?.attempts;
}

export function findEffect(db: Tx, key: string): Promise<OutboundEffect | null> {
  return db.outboundEffect.findUnique({ where: { key } });
}

/** The attempt failed: let the next one claim it at once, and keep why. */
export async function releaseEffect(db: Tx, key: string, error: string): Promise<void> {
  await db.outboundEffect.update({
    where: { key },
    data: { claimedUntil: null, lastError: error.slice(0, 500) },
  });
}

export async function markEffectDone(tx: Tx, key: string, result: Prisma.InputJsonValue): Promise<void> {
  await tx.outboundEffect.update({
    where: { key },
    data: { doneAt: new Date(), result, claimedUntil: null, lastError: null },
  });
}
