// The error-budget arithmetic of the Google SRE workbook (ch. 5, "Alerting on SLOs"), pure.
// Burn rate = error ratio in a window / error ratio the SLO allows; at 1× the budget lasts
// exactly the period. A window's share of the budget = burn rate × window / period.
import type { BurnRule, Slo } from '../../config/catalog.ts';

export interface Counts {
  good: number;
  bad: number;
}

export const NO_EVENTS: Counts = { good: 0, bad: 0 };

export function totalOf(c: Counts): number {
  return c.good + c.bad;
}

export function addCounts(a: Counts, b: Counts): Counts {
  return { good: a.good + b.good, bad: a.bad + b.bad };
}

/** 0 for an empty window: no events burn nothing. */
export function burnRate(c: Counts, target: number): number {
  const total = totalOf(c);
  return total === 0 ? 0 : c.bad / total / (1 - target);
}

/** Share of the period's budget a window burned (0.02 = 2%). */
export function budgetConsumed(rate: number, windowSeconds: number, periodSeconds: number): number {
  return (rate * windowSeconds) / periodSeconds;
}

/** The burn rate that spends `share` of the budget in `windowSeconds`: 2% in 1 h of 30 d → 14.4. */
export function burnRateFor(share: number, windowSeconds: number, periodSeconds: number): number {
  return (share * periodSeconds) / windowSeconds;
}

/** Share of the period's budget still unspent; negative once overspent. */
export function budgetLeft(period: Counts, target: number): number {
  return 1 - burnRate(period, target);
}

/**
 * Windows are sums of whole buckets: a minute each for windows under a day, an hour each for
 * longer ones (the 30-day budget sums 720 rows, not 43,200). A window of W seconds at `now`
 * holds the buckets starting in (floor(now) − W, floor(now)], so the current bucket counts.
 */
export function resolutionOf(windowSeconds: number): 60 | 3600 {
  return windowSeconds >= 86_400 ? 3600 : 60;
}

export function bucketStart(atMs: number, resolutionSeconds: number): number {
  const size = resolutionSeconds * 1000;
  return Math.floor(atMs / size) * size;
}

/** [from, to] in ms: buckets whose start b satisfies from < b ≤ to. */
export function windowBounds(nowMs: number, windowSeconds: number): { from: number; to: number } {
  const to = bucketStart(nowMs, resolutionOf(windowSeconds));
  return { from: to - windowSeconds * 1000, to };
}

export interface RuleReading {
  long: Counts;
  short: Counts;
}

export interface RuleVerdict {
  longBurn: number;
  shortBurn: number;
  /** Low-traffic guard: the short window (the smaller sample) holds at least min_events. */
  enoughEvents: boolean;
  firing: boolean;
}

/**
 * Starts firing when both windows burn faster than the rule allows and the short window has
 * enough events; once firing, stops only when the short window drops back (the workbook's
 * reset: the short window clears minutes after the burn stops, the long one would take hours).
 */
export function judgeRule(rule: BurnRule, slo: Slo, reading: RuleReading, wasFiring: boolean): RuleVerdict {
  const longBurn = burnRate(reading.long, slo.target);
  const shortBurn = burnRate(reading.short, slo.target);
  const enoughEvents = totalOf(reading.short) >= slo.minEvents;
  const firing = wasFiring
    ? shortBurn > rule.burnRate
    : enoughEvents && longBurn > rule.burnRate && shortBurn > rule.burnRate;
  return { longBurn, shortBurn, enoughEvents, firing };
}

/** The whole budget is spent, over at least min_events events in the period. */
export function isExhausted(slo: Slo, period: Counts): boolean {
  return totalOf(period) >= slo.minEvents && budgetLeft(period, slo.target) <= 0;
}
