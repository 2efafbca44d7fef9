// Error-budget state: where each burn rule (and "budget", for exhaustion) of each feature
// stands, and the admin overrides that let restores through an exhausted budget.
import type { BudgetOverride, BurnAlertState } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

/** The rules firing now, of these features (of every feature without a list). */
export function firingBurnRules(
  db: Tx,
  featureKeys?: string[],
): Promise<Pick<BurnAlertState, 'featureKey' | 'rule'>[]> {
  return db.burnAlertState.findMany({
    where: { firing: true, ...(featureKeys ? { featureKey: { in: featureKeys } } : {}) },
    select: { featureKey: true, rule: true },
  });
}

/**
 * Claims a rule's change to `firing` with a conditional upsert: of two evaluators that see the
 * same change, one gets true and acts on it.
 */
export async function claimBurnTransition(
  db: Tx,
  t: { featureKey: string; rule: string; firing: boolean; burnRate: number; at: Date },
): Promise<boolean> {
  const changed = await db.$executeRaw`
    INSERT INTO burn_alert_state (feature_key, rule, firing, since, burn_rate, evaluated_at)
    VALUES (${t.featureKey}, ${t.rule}, ${t.firing}, ${t.at}, ${t.burnRate}, ${t.at})
    ON CONFLICT (feature_key, rule) DO UPDATE SET
      firing = EXCLUDED.firing, since = EXCLUDED.since,
      burn_rate = EXCLUDED.burn_rate, evaluated_at = EXCLUDED.evaluated_at
    WHERE burn_alert_state.firing <> EXCLUDED.firing`;
  return changed > 0;
}

/** Puts a claimed rule back (acting on the claim failed), so the next cycle tries again. */
export async function setBurnFiring(
  db: Tx,
  featureKey: string,
  rule: string,
  firing: boolean,
): Promise<void> {
  await db.$executeRaw`
    UPDATE burn_alert_state SET firing = ${firing} WHERE feature_key = ${featureKey} AND rule = ${rule}`;
}

/** The feature's latest override still in force at `now`. */
export function activeBudgetOverride(db: Tx, featureKey: string, now: Date): Promise<BudgetOverride | null> {
  return db.budgetOverride.findFirst({
    where: { featureKey, expiresAt: { gt: now } },
    orderBy: { at: 'desc' },
  });
}

export async function insertBudgetOverride(tx: Tx, row: Omit<BudgetOverride, 'id'>): Promise<void> {
  await tx.budgetOverride.create({ data: row });
}
