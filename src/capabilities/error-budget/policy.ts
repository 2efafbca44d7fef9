// The budget policy's hold on /ai-kill restore: a feature whose policy is freeze or kill may
// not be ramped back on while its budget is exhausted, unless an admin has overridden the
// freeze (with a reason, audited, for OVERRIDE_HOURS).
import type { Feature, Slo } from '../../config/catalog.ts';
import { mayDo } from '../../kernel/permissions.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { activeBudgetOverride, insertBudgetOverride } from '../../store/budgets.ts';
import { insertAudit } from '../../store/flag-audit.ts';
import { audit } from '../kill-switch/index.ts';
import type { BudgetDeps } from './deps.ts';
import { budgetLeft, type Counts, isExhausted } from './math.ts';
import { percent, periodText } from './messages.ts';
import { countsIn, readWindowTotals } from './totals.ts';

export const OVERRIDE_HOURS = 24;

export interface BudgetStatus {
  slo: Slo;
  period: Counts;
  /** Share of the period's budget unspent; negative once overspent. */
  left: number;
  exhausted: boolean;
}

export async function budgetStatus(
  deps: Pick<BudgetDeps, 'db'>,
  feature: Feature,
  now: Date,
): Promise<BudgetStatus | null> {
  const slo = feature.slo;
  if (!slo) return null;
  const totals = await readWindowTotals(
    deps.db,
    now,
    [{ key: feature.key, kinds: slo.kinds }],
    [slo.periodSeconds],
  );
  const period = countsIn(totals, feature.key, slo.periodSeconds);
  return { slo, period, left: budgetLeft(period, slo.target), exhausted: isExhausted(slo, period) };
}

export async function activeOverride(deps: Pick<BudgetDeps, 'db'>, featureKey: string, now: Date) {
  return activeBudgetOverride(deps.db, featureKey, now);
}

/** Why a restore of `feature` must wait for its budget, or null when it need not. */
export async function restoreFrozenBecause(
  deps: Pick<BudgetDeps, 'clock' | 'db'>,
  feature: Feature,
): Promise<string | null> {
  const slo = feature.slo;
  if (!slo || slo.onExhausted === 'page') return null;
  const now = deps.clock.now();
  const status = await budgetStatus(deps, feature, now);
  if (!status?.exhausted || (await activeOverride(deps, feature.key, now))) return null;
  return (
    `the ${periodText(slo)} error budget is exhausted (${percent(1 - status.left)} used) and the ` +
    `budget policy is ${slo.onExhausted}. Restores wait until the budget recovers or an admin ` +
    `overrides with \`/ai-budget override ${feature.key} <reason>\``
  );
}

/** startRamp's guard: the refusal for the asker (audited), or null to go ahead. */
export async function refuseFrozenRestore(
  deps: Pick<BudgetDeps, 'clock' | 'db'>,
  feature: Feature,
  asker: { userId: string; userName: string },
): Promise<string | null> {
  const why = await restoreFrozenBecause(deps, feature);
  if (!why) return null;
  await audit(deps.db, {
    slackUserId: asker.userId,
    actorName: asker.userName,
    featureKey: feature.key,
    environment: feature.unleash?.environment ?? null,
    action: 'restore',
    result: 'refused',
    detail: `error budget: ${why}`,
  });
  return `Not restoring \`${feature.key}\`: ${why}. Nothing was changed.`;
}

/** `/ai-budget override <feature> <reason>`: admins only; recorded in two append-only logs. */
export async function overrideFreeze(
  deps: BudgetDeps,
  feature: Feature,
  asker: { userId: string; userName: string },
  reason: string,
): Promise<string> {
  const admin = deps.catalog.catalog.defaults.adminGroup;
  const base = { slackUserId: asker.userId, actorName: asker.userName, featureKey: feature.key };
  const permission = await mayDo(deps, 'budget_override', { feature }, asker.userId);
  if (!permission.allowed) {
    await audit(deps.db, { ...base, action: 'budget_override', reason, result: 'refused' });
    return admin
      ? `Only members of <!subteam^${admin}> may override a budget freeze. Nothing was changed.`
      : 'The catalog names no `defaults.admin_group`, so nobody may override a budget freeze.';
  }
  if (!reason) return `Say why: \`/ai-budget override ${feature.key} <reason>\`.`;
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + OVERRIDE_HOURS * 3_600_000);
  await deps.db.$transaction(async (tx) => {
    await insertBudgetOverride(tx, {
      at: now,
      featureKey: feature.key,
      slackUserId: asker.userId,
      actorName: asker.userName,
      reason,
      expiresAt,
    });
    await insertAudit(tx, {
      ...base,
      action: 'budget_override',
      reason,
      result: 'succeeded',
      detail: `until ${expiresAt.toISOString()}`,
    });
  });
  await deps.slack
    .postMessage({
      channel: feature.slack.alertsChannel,
      text: overrideAnnouncement(feature, asker.userName, reason),
      effectKey: `budget-override:${feature.key}:${now.toISOString()}`,
    })
    .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not announce a budget override'));
  return `Override recorded: \`/ai-kill restore ${feature.key}\` may run for the next ${OVERRIDE_HOURS} hours even though the budget is exhausted.`;
}

/** What the alerts channel reads: the name and the reason as typed, never as markup. */
export function overrideAnnouncement(
  feature: Pick<Feature, 'key'>,
  userName: string,
  reason: string,
): string {
  return (
    `:unlock: ${escapeMrkdwn(userName)} overrode the error-budget freeze of *${feature.key}* for ` +
    `${OVERRIDE_HOURS} hours: ${escapeMrkdwn(reason)}`
  );
}
