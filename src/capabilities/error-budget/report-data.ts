// The weekly report's numbers, per budgeted feature, for the seven 24-hour days ending at the
// slot: budget burned (the week's burn rate × 7 days / period, as the alerts count it), budget
// left at the slot, incidents opened, kills asked for, and the median time to acknowledge.

import { countKills } from '../../store/flags.ts';
import { incidentsOpenedBetween } from '../../store/incidents.ts';
import type { BudgetDeps } from './deps.ts';
import { budgetedFeatures } from './evaluate.ts';
import { addCounts, budgetConsumed, budgetLeft, burnRate, type Counts, NO_EVENTS } from './math.ts';
import { countsIn, readDailyCounts, readWindowTotals } from './totals.ts';

export const REPORT_DAYS = 7;

export interface FeatureWeek {
  feature: string;
  target: number;
  periodSeconds: number;
  week: Counts;
  /** Share of the period's budget burned in the week, and on each day (oldest first). */
  burned: number;
  dailyBurned: number[];
  left: number;
  incidents: number;
  kills: number;
  /** Seconds; null when no incident of the week was acknowledged. */
  medianAckSeconds: number | null;
}

export interface WeekReport {
  start: Date;
  end: Date;
  features: FeatureWeek[];
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function weekReport(deps: BudgetDeps, end: Date): Promise<WeekReport> {
  const start = new Date(end.getTime() - REPORT_DAYS * 86_400_000);
  const features = budgetedFeatures(deps);
  const totals = await readWindowTotals(
    deps.db,
    end,
    features.map((f) => ({ key: f.key, kinds: f.slo.kinds })),
    features.map((f) => f.slo.periodSeconds),
  );
  const out: FeatureWeek[] = [];
  for (const f of features) {
    const { slo } = f;
    const days = await readDailyCounts(deps.db, end, { key: f.key, kinds: slo.kinds }, REPORT_DAYS);
    const week = days.reduce(addCounts, NO_EVENTS);
    const incidents = await incidentsOpenedBetween(deps.db, f.key, { from: start, to: end });
    const kills = await countKills(deps.db, f.key, { from: start, to: end });
    const acks = incidents
      .filter((i) => i.acknowledgedAt)
      .map((i) => ((i.acknowledgedAt as Date).getTime() - i.openedAt.getTime()) / 1000);
    out.push({
      feature: f.key,
      target: slo.target,
      periodSeconds: slo.periodSeconds,
      week,
      burned: budgetConsumed(burnRate(week, slo.target), REPORT_DAYS * 86_400, slo.periodSeconds),
      dailyBurned: days.map((d) => budgetConsumed(burnRate(d, slo.target), 86_400, slo.periodSeconds)),
      left: budgetLeft(countsIn(totals, f.key, slo.periodSeconds), slo.target),
      incidents: incidents.length,
      kills,
      medianAckSeconds: median(acks),
    });
  }
  return { start, end, features: out };
}
