// Error budgets in the catalog: the resolved shapes and how a feature's `slo` block inherits
// from `defaults.error_budget`.
import type { CatalogFile, FeatureFile } from './catalog-schema.ts';

export type BurnNotify = 'page' | 'ticket';
export type ExhaustedPolicy = 'page' | 'freeze' | 'kill';
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** Alert when the burn rate over both windows exceeds `burnRate`; stop when the short one no longer does. */
export interface BurnRule {
  /** "1h/5m": names the rule in fingerprints, state rows and messages. */
  name: string;
  longSeconds: number;
  shortSeconds: number;
  burnRate: number;
  notify: BurnNotify;
}

export interface ErrorBudgetDefaults {
  evaluateEverySeconds: number;
  minEvents: number;
  burnAlerts: BurnRule[];
  /** `time` is HH:MM in defaults.time_zone. */
  weeklyReport?: { channel: string; day: Weekday; time: string };
}

export interface Slo {
  /** Share of events that must be good, e.g. 0.98. */
  target: number;
  periodSeconds: number;
  /** Signal kinds that count; null counts every kind. */
  kinds: string[] | null;
  onExhausted: ExhaustedPolicy;
  minEvents: number;
  burnAlerts: BurnRule[];
}

/** 300 → "5m", 3600 → "1h", 259200 → "3d": the way the catalog writes windows. */
export function compactDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  return `${Math.round(seconds / 60)}m`;
}

type RuleFile = NonNullable<NonNullable<FeatureFile['slo']>['burn_alerts']>[number];

function resolveRule(rule: RuleFile): BurnRule {
  return {
    name: `${compactDuration(rule.long)}/${compactDuration(rule.short)}`,
    longSeconds: rule.long,
    shortSeconds: rule.short,
    burnRate: rule.burn_rate,
    notify: rule.notify,
  };
}

export function resolveErrorBudgetDefaults(
  file: CatalogFile['defaults']['error_budget'],
): ErrorBudgetDefaults {
  const report = file.weekly_report;
  return {
    evaluateEverySeconds: file.evaluate_every,
    minEvents: file.min_events,
    burnAlerts: file.burn_alerts.map(resolveRule),
    ...(report ? { weeklyReport: { channel: report.channel, day: report.day, time: report.time } } : {}),
  };
}

export function resolveSlo(slo: FeatureFile['slo'], defaults: ErrorBudgetDefaults): Slo | undefined {
  if (!slo) return undefined;
  return {
    target: slo.target,
    periodSeconds: slo.period,
    kinds: slo.kinds ?? null,
    onExhausted: slo.on_exhausted,
    minEvents: slo.min_events ?? defaults.minEvents,
    burnAlerts: slo.burn_alerts ? slo.burn_alerts.map(resolveRule) : defaults.burnAlerts,
  };
}

/** A policy of `kill` needs a flag to turn off. */
export function checkSlo(
  data: CatalogFile,
  fail: (path: readonly PropertyKey[], message: string) => never,
): void {
  data.features.forEach((feature, i) => {
    if (feature.slo?.on_exhausted === 'kill' && !feature.unleash) {
      fail(
        ['features', i, 'slo', 'on_exhausted'],
        'expected page or freeze: kill needs the feature to have an unleash flag',
      );
    }
  });
}
