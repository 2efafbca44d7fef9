// `/ai-budget [feature]` and `/ai-budget override <feature> <reason>`: what is left of each
// budget, how fast it burns over each rule's windows, and the last 7 days as a sparkline.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Feature } from '../../config/catalog.ts';
import { compactDuration } from '../../config/catalog-slo.ts';
import { displayName, escapeMrkdwn } from '../../kernel/slack-text.ts';
import { firingBurnRules } from '../../store/budgets.ts';
import type { BudgetDeps } from './deps.ts';
import { BUDGET_RULE, type BudgetedFeature, budgetedFeatures } from './evaluate.ts';
import { budgetConsumed, budgetLeft, burnRate, totalOf } from './math.ts';
import { budgetLeftText, durationText, percent, rate, sparkline } from './messages.ts';
import { overrideFreeze } from './policy.ts';
import { countsIn, readDailyCounts, readWindowTotals } from './totals.ts';

export const USAGE =
  '`/ai-budget [feature]` shows error budgets; `/ai-budget override <feature> <reason>` lets `/ai-kill restore` ' +
  'through while a budget is exhausted (admins only).';

export type BudgetCommand =
  | { kind: 'show'; featureKey: string | null }
  | { kind: 'override'; featureKey: string; reason: string }
  | { kind: 'help'; message: string };

export function parseBudgetCommand(text: string): BudgetCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (!first) return { kind: 'show', featureKey: null };
  if (first === 'help') return { kind: 'help', message: USAGE };
  if (first === 'override') {
    if (!second)
      return { kind: 'help', message: `\`/ai-budget override\` needs a feature and a reason.\n${USAGE}` };
    return { kind: 'override', featureKey: second, reason: rest.join(' ') };
  }
  if (second) return { kind: 'help', message: `\`/ai-budget\` takes at most one feature.\n${USAGE}` };
  return { kind: 'show', featureKey: first };
}

function windowsOf(f: BudgetedFeature): number[] {
  return [...new Set(f.slo.burnAlerts.flatMap((r) => [r.longSeconds, r.shortSeconds]))].sort((a, b) => a - b);
}

async function describe(deps: BudgetDeps, features: BudgetedFeature[], detailed: boolean): Promise<string> {
  const now = deps.clock.now();
  const windows = features.flatMap((f) => [f.slo.periodSeconds, ...windowsOf(f)]);
  const totals = await readWindowTotals(
    deps.db,
    now,
    features.map((f) => ({ key: f.key, kinds: f.slo.kinds })),
    windows,
  );
  const firing = await firingBurnRules(deps.db);
  const lines: string[] = [];
  for (const f of features) {
    const { slo } = f;
    const period = countsIn(totals, f.key, slo.periodSeconds);
    const left = budgetLeft(period, slo.target);
    // Through the end of the current hour, so what arrived in the last minutes shows.
    const days = await readDailyCounts(
      deps.db,
      new Date(now.getTime() + 3_600_000),
      { key: f.key, kinds: slo.kinds },
      7,
    );
    const daily = days.map((d) => budgetConsumed(burnRate(d, slo.target), 86_400, slo.periodSeconds));
    const burns = windowsOf(f)
      .map((w) => `${compactDuration(w)} ${rate(burnRate(countsIn(totals, f.key, w), slo.target))}`)
      .join(' · ');
    const on = firing
      .filter((s) => s.featureKey === f.key)
      .map((s) => (s.rule === BUDGET_RULE ? 'budget exhausted' : s.rule));
    const alerting = on.length ? ` · :rotating_light: ${on.join(', ')}` : '';
    if (!detailed) {
      lines.push(
        `*${f.key}*: ${budgetLeftText(left)} Burn ${burns} · 7 days \`${sparkline(daily)}\`${alerting}`,
      );
      continue;
    }
    const kinds = slo.kinds ? slo.kinds.join(', ') : 'all kinds';
    lines.push(
      `*${f.key}*: SLO ${percent(slo.target)} good over ${durationText(slo.periodSeconds)} (${kinds}; when exhausted: ${slo.onExhausted})`,
      `${budgetLeftText(left)} ${totalOf(period)} events in the period, ${period.bad} bad.`,
      `Burn rate: ${burns}`,
      ...slo.burnAlerts.map(
        (r) =>
          `• ${r.name} ${r.notify} above ${rate(r.burnRate)}: ${on.includes(r.name) ? ':rotating_light: firing' : 'ok'}`,
      ),
      `Last 7 days \`${sparkline(daily)}\` (daily burn, oldest first: ${daily.map((d) => percent(d)).join(', ')} of the budget)`,
    );
  }
  return lines.join('\n');
}

export async function budgetReply(
  deps: BudgetDeps,
  cmd: BudgetCommand,
  asker: { userId: string; userName: string },
): Promise<string> {
  if (cmd.kind === 'help') return cmd.message;
  const all = budgetedFeatures(deps);
  const known = all.map((f) => `\`${f.key}\``).join(', ') || 'none (no feature has an `slo` block)';
  if (!cmd.featureKey)
    return all.length ? describe(deps, all, false) : `No feature has an error budget. ${USAGE}`;
  const feature: Feature | null = deps.catalog.featureByKey(cmd.featureKey);
  if (!feature?.slo) {
    const what = feature
      ? `\`${feature.key}\` has no \`slo\` in the catalog`
      : `Unknown feature \`${escapeMrkdwn(cmd.featureKey)}\``;
    return `${what}. Features with an error budget: ${known}.`;
  }
  if (cmd.kind === 'override') return overrideFreeze(deps, feature, asker, cmd.reason.trim());
  return describe(deps, [feature as BudgetedFeature], true);
}

export async function onBudgetCommand(
  deps: BudgetDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const profile = await deps.slack.usersInfo(command.user_id).catch(() => null);
  const asker = {
    userId: command.user_id,
    userName: displayName(profile, command.user_name),
  };
  // A failure here reaches the app's error handler, which tells the user plainly.
  const text = await budgetReply(deps, parseBudgetCommand(command.text), asker);
  await respond({ response_type: 'ephemeral', text });
}
