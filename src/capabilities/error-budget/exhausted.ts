// What happens when a feature's whole budget is spent, by its policy: `page` raises an alert
// through the incident path; `freeze` says restores are frozen; `kill` turns the feature off
// through the kill switch (its own flip, confirmation and audit) and freezes restores.
import { type BudgetedFeature, hasKillSwitch } from '../../config/catalog.ts';
import { recordKill } from '../kill-switch/index.ts';
import { sendBurnAlert } from './burn-alert.ts';
import type { BudgetDeps } from './deps.ts';
import { percent, periodText } from './messages.ts';
import { queueBudgetNotice } from './notice.ts';

export async function onExhaustionChange(
  deps: BudgetDeps,
  feature: BudgetedFeature,
  exhausted: boolean,
  left: number,
  now: Date,
): Promise<void> {
  const { slo } = feature;
  const used = percent(1 - left);
  if (slo.onExhausted === 'page') {
    await sendBurnAlert(
      deps,
      {
        feature,
        rule: 'budget',
        status: exhausted ? 'firing' : 'resolved',
        severity: 'error',
        summary: exhausted
          ? `The ${periodText(slo)} error budget is exhausted (${used} used).`
          : `The ${periodText(slo)} error budget recovered (${percent(left)} left).`,
        description: `Budget policy: page. ${percent(slo.target)} of events must be good.`,
        numbers: { budgetLeft: left },
      },
      now,
    );
    return;
  }
  const restore = `\`/ai-kill restore ${feature.key}\``;
  const text = exhausted
    ? `:no_entry: *${feature.key}*: the ${periodText(slo)} error budget is exhausted (${used} used). ` +
      killLine(deps, feature) +
      `${restore} is frozen until the budget recovers or an admin overrides with ` +
      `\`/ai-budget override ${feature.key} <reason>\`.`
    : `:white_check_mark: *${feature.key}*: the error budget recovered (${percent(left)} left); ${restore} is no longer frozen.`;
  await queueBudgetNotice(
    deps,
    `budget-${exhausted ? 'exhausted' : 'recovered'}:${feature.key}:${now.toISOString()}`,
    {
      channel: feature.slack.alertsChannel,
      text,
    },
  );
  if (exhausted && slo.onExhausted === 'kill') await killForBudget(deps, feature, used, now);
}

function killLine(deps: BudgetDeps, feature: BudgetedFeature): string {
  if (feature.slo.onExhausted !== 'kill') return '';
  return deps.unleash
    ? 'Its budget policy is kill: turning it off. '
    : 'Its budget policy is kill, but Failsafe is not connected to Unleash (UNLEASH_URL), so it stays on. ';
}

/** The same operation /ai-kill stores, asked for by Failsafe itself; the kill job does the rest. */
async function killForBudget(
  deps: BudgetDeps,
  feature: BudgetedFeature,
  used: string,
  now: Date,
): Promise<void> {
  if (!hasKillSwitch(feature) || !deps.unleash) {
    deps.logger.error({ feature: feature.key }, 'budget policy is kill but Unleash is not configured');
    return;
  }
  const opId = await recordKill(deps, feature, {
    requestKey: `budget-kill:${feature.key}:${now.toISOString()}`,
    reason: `error budget exhausted (${used} used)`,
    userId: 'failsafe',
    name: 'Failsafe (error budget)',
    incidentId: null,
  });
  await deps.queue.enqueue('flag-kill', opId, { operationId: opId }, { inline: true });
}
