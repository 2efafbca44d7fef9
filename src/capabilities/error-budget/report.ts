// The weekly report: one message per week in the configured channel, with the chart of daily
// burn attached. performOnce keys it on the slot, so retries and replicas post it once; when
// the chart cannot be uploaded (files:write missing, say) the text goes out without it.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { UpstreamError } from '../../adapters/http.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { type ChartBar, renderChartPng } from './chart.ts';
import type { BudgetDeps } from './deps.ts';
import { durationText, percent, sparkline } from './messages.ts';
import { type FeatureWeek, type WeekReport, weekReport } from './report-data.ts';

export function ackText(seconds: number | null): string {
  if (seconds === null) return 'no acknowledgements';
  return seconds < 90
    ? `${Math.round(seconds)} s to acknowledge (median)`
    : `${Math.round(seconds / 60)} min to acknowledge (median)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function featureLine(f: FeatureWeek): string {
  return (
    `• *${f.feature}* (SLO ${percent(f.target)} over ${durationText(f.periodSeconds)}): ` +
    `${percent(f.burned)} of the budget burned this week, ${f.left > 0 ? `${percent(f.left)} left` : 'exhausted'} · ` +
    `${plural(f.incidents, 'incident')} · ${plural(f.kills, 'kill')} · ${ackText(f.medianAckSeconds)}\n` +
    `    daily burn \`${sparkline(f.dailyBurned)}\``
  );
}

/** Each bar is the 24 hours starting at that day's report time; labelled by its start. */
export function dayLabels(report: WeekReport, timeZone: string): string[] {
  return (
    report.features[0]?.dailyBurned.map((_, i) =>
      format(new TZDate(report.start.getTime() + i * 86_400_000, timeZone), 'EEE d'),
    ) ?? []
  );
}

export function reportText(report: WeekReport, timeZone: string): string {
  const end = format(new TZDate(report.end.getTime(), timeZone), 'EEE d MMM HH:mm');
  const lines = report.features.map(featureLine);
  return [
    `*Error budgets, week to ${end}* (${timeZone})`,
    ...(lines.length ? lines : ['No feature has an slo.']),
  ].join('\n');
}

export function chartBars(report: WeekReport, timeZone: string): ChartBar[] {
  const days = dayLabels(report, timeZone);
  return report.features.flatMap((f) =>
    f.dailyBurned.map((share, i) => ({
      day: days[i] as string,
      feature: f.feature,
      burnedPercent: share * 100,
    })),
  );
}

export async function postWeeklyReport(deps: BudgetDeps, slot: Date): Promise<void> {
  const settings = deps.catalog.catalog.defaults.errorBudget.weeklyReport;
  if (!settings) return;
  const { timeZone } = deps.catalog.catalog.defaults;
  await performOnce(deps, `budget-report:${slot.toISOString()}`, {
    claimMs: 120_000,
    perform: async () => {
      const report = await weekReport(deps, slot);
      const text = reportText(report, timeZone);
      try {
        const png = await renderChartPng(
          chartBars(report, timeZone),
          'Daily error-budget burn, % of each budget',
        );
        const { fileId } = await deps.slack.shareFile({
          channelId: settings.channel,
          filename: `error-budgets-${format(slot, 'yyyy-MM-dd')}.png`,
          title: 'Daily error-budget burn',
          content: png,
          altText: 'Bar chart of the share of each feature’s error budget burned on each of the last 7 days',
          comment: text,
        });
        return { fileId, chart: true };
      } catch (error) {
        // A retryable failure is retried by the queue; anything else still gets the numbers out.
        if (error instanceof UpstreamError && error.kind === 'retryable') throw error;
        deps.logger.warn({ err: error }, 'weekly report chart not attached; posting the text alone');
        const posted = await deps.slack.postMessage({
          channel: settings.channel,
          text: `${text}\n_(The chart could not be attached: ${whatFailed(error)}.)_`,
          effectKey: `budget-report:${slot.toISOString()}`,
        });
        return { ts: posted.ts, chart: false };
      }
    },
  });
}

export function reportJobs(deps: BudgetDeps): JobDefinition[] {
  return [
    {
      name: 'budget-report',
      maxAttempts: 20,
      backoff: { baseDelayMs: 5_000, maxDelayMs: 300_000 },
      handler: ({ slot }) => postWeeklyReport(deps, new Date(slot)),
    },
  ];
}
