// One evaluation cycle: every feature's windows in two scans, each burn rule judged against
// its stored state, and only the changes acted on (one firing and one resolved per episode).
import type { BudgetedFeature, BurnRule } from '../../config/catalog.ts';
import { claimBurnTransition, firingBurnRules, setBurnFiring } from '../../store/budgets.ts';
import { sendBurnAlert } from './burn-alert.ts';
import type { BudgetDeps } from './deps.ts';
import { onExhaustionChange } from './exhausted.ts';
import { budgetLeft, isExhausted, judgeRule, type RuleReading, type RuleVerdict } from './math.ts';
import { budgetLeftText, burnDetail, burnSummary, rate, ticketText } from './messages.ts';
import { queueBudgetNotice } from './notice.ts';
import { countsIn, readWindowTotals } from './totals.ts';

/** The state row of an exhausted budget, beside the rules' ("1h/5m", …). */
export const BUDGET_RULE = 'budget';

export type { BudgetedFeature } from '../../config/catalog.ts';

export interface Evaluation {
  features: number;
  /** Rules (and budgets) that started or stopped firing in this cycle. */
  changes: { feature: string; rule: string; firing: boolean }[];
}

export function budgetedFeatures(deps: BudgetDeps): BudgetedFeature[] {
  return deps.catalog.catalog.features.filter((f): f is BudgetedFeature => f.slo !== undefined);
}

export async function evaluateBudgets(deps: BudgetDeps, now: Date = deps.clock.now()): Promise<Evaluation> {
  const features = budgetedFeatures(deps);
  const out: Evaluation = { features: features.length, changes: [] };
  if (!features.length) return out;
  const windows = features.flatMap((f) => [
    f.slo.periodSeconds,
    ...f.slo.burnAlerts.flatMap((r) => [r.longSeconds, r.shortSeconds]),
  ]);
  const kinds = features.map((f) => ({ key: f.key, kinds: f.slo.kinds }));
  const totals = await readWindowTotals(deps.db, now, kinds, windows);
  const states = await firingBurnRules(
    deps.db,
    features.map((f) => f.key),
  );
  const firing = new Set(states.map((s) => `${s.featureKey}\0${s.rule}`));
  for (const feature of features) {
    const { slo } = feature;
    const period = countsIn(totals, feature.key, slo.periodSeconds);
    const left = budgetLeft(period, slo.target);
    try {
      for (const rule of slo.burnAlerts) {
        const reading = {
          long: countsIn(totals, feature.key, rule.longSeconds),
          short: countsIn(totals, feature.key, rule.shortSeconds),
        };
        const was = firing.has(`${feature.key}\0${rule.name}`);
        const verdict = judgeRule(rule, slo, reading, was);
        if (verdict.firing === was) continue;
        const effect = () => ruleEffect(deps, { feature, rule, reading, verdict, left }, now);
        if (await transition(deps, feature.key, rule.name, verdict.firing, verdict.longBurn, now, effect))
          out.changes.push({ feature: feature.key, rule: rule.name, firing: verdict.firing });
      }
      const was = firing.has(`${feature.key}\0${BUDGET_RULE}`);
      // Once exhausted, it stays so until the budget is back above zero, whatever the traffic.
      const exhausted = was ? left <= 0 : isExhausted(slo, period);
      if (exhausted === was) continue;
      const effect = () => onExhaustionChange(deps, feature, exhausted, left, now);
      if (await transition(deps, feature.key, BUDGET_RULE, exhausted, 1 - left, now, effect))
        out.changes.push({ feature: feature.key, rule: BUDGET_RULE, firing: exhausted });
    } catch (error) {
      // One feature's failure (Slack down, say) must not hold up the others' alerts.
      deps.logger.error({ err: error, feature: feature.key }, 'error budget evaluation failed for a feature');
    }
  }
  return out;
}

/**
 * Claims the change in the state row (a conditional upsert, so of two evaluators one wins),
 * then acts; if acting fails the claim is undone and the next cycle tries again.
 */
async function transition(
  deps: BudgetDeps,
  featureKey: string,
  rule: string,
  firing: boolean,
  burn: number,
  now: Date,
  effect: () => Promise<void>,
): Promise<boolean> {
  const claimed = await claimBurnTransition(deps.db, { featureKey, rule, firing, burnRate: burn, at: now });
  if (!claimed) return false;
  try {
    await effect();
  } catch (error) {
    await setBurnFiring(deps.db, featureKey, rule, !firing);
    throw error;
  }
  return true;
}

interface RuleChange {
  feature: BudgetedFeature;
  rule: BurnRule;
  reading: RuleReading;
  verdict: RuleVerdict;
  left: number;
}

async function ruleEffect(deps: BudgetDeps, c: RuleChange, now: Date): Promise<void> {
  const { feature, rule, verdict, left } = c;
  const { slo } = feature;
  if (rule.notify === 'ticket') {
    // A notice for the working week, not a page; nothing to say when it clears.
    if (verdict.firing)
      await queueBudgetNotice(deps, `budget-ticket:${feature.key}:${rule.name}:${now.toISOString()}`, {
        channel: feature.slack.alertsChannel,
        text: ticketText(feature, slo, rule, verdict.longBurn, left),
      });
    return;
  }
  const summary = verdict.firing
    ? burnSummary(slo, rule, verdict.longBurn, left)
    : `Burn rate over the last ${rule.name.split('/')[1]} is back under ` +
      `${rate(rule.burnRate)} (${rate(verdict.shortBurn)}). ${budgetLeftText(left)}`;
  await sendBurnAlert(
    deps,
    {
      feature,
      rule: rule.name,
      status: verdict.firing ? 'firing' : 'resolved',
      severity: rule.burnRate >= 10 ? 'critical' : 'error',
      summary,
      description: burnDetail(slo, rule, { ...c.reading, ...verdict }),
      numbers: {
        longBurn: verdict.longBurn,
        shortBurn: verdict.shortBurn,
        longGood: c.reading.long.good,
        longBad: c.reading.long.bad,
        shortGood: c.reading.short.good,
        shortBad: c.reading.short.bad,
        budgetLeft: left,
      },
    },
    now,
  );
}
