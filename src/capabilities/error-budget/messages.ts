// The words and numbers people read: burn alerts, ticket notices, the sparkline.
import type { BurnRule, Feature, Slo } from '../../config/catalog.ts';
import { budgetConsumed, type Counts, totalOf } from './math.ts';

/** 0.0306 → "3.1%", 0.61 → "61%": one decimal under 10%, whole numbers above. */
export function percent(share: number): string {
  const p = share * 100;
  const text = Math.abs(p) < 10 ? p.toFixed(1).replace(/\.0$/, '') : String(Math.round(p));
  return `${text === '-0' ? '0' : text}%`;
}

/** 22.04 → "22×", 6.46 → "6.5×". */
export function rate(burn: number): string {
  return `${burn < 10 ? burn.toFixed(1).replace(/\.0$/, '') : String(Math.round(burn))}×`;
}

function units(seconds: number): [number, string] {
  if (seconds % 86_400 === 0) return [seconds / 86_400, 'day'];
  if (seconds % 3_600 === 0) return [seconds / 3_600, 'hour'];
  return [Math.round(seconds / 60), 'minute'];
}

/** For "the last …": 3600 → "hour", 21600 → "6 hours", 300 → "5 minutes". */
export function spanText(seconds: number): string {
  const [n, unit] = units(seconds);
  return n === 1 ? unit : `${n} ${unit}s`;
}

/** 86400 → "1 day", 2592000 → "30 days". */
export function durationText(seconds: number): string {
  const [n, unit] = units(seconds);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** 2592000 → "30-day". */
export function periodText(slo: Slo): string {
  const days = slo.periodSeconds / 86_400;
  return Number.isInteger(days) ? `${days}-day` : durationText(slo.periodSeconds);
}

export function budgetLeftText(left: number): string {
  return left > 0 ? `Budget left: ${percent(left)}.` : `Budget exhausted (${percent(1 - left)} used).`;
}

/**
 * "3.1% of the 30-day budget burned in the last hour (burn rate 22×). Budget left: 61%." Without the
 * feature: as an incident title it follows the feature's name ("AI support bot: 3.1% …").
 */
export function burnSummary(slo: Slo, rule: BurnRule, longBurn: number, left: number): string {
  const consumed = budgetConsumed(longBurn, rule.longSeconds, slo.periodSeconds);
  return (
    `${percent(consumed)} of the ${periodText(slo)} budget burned in the last ` +
    `${spanText(rule.longSeconds)} (burn rate ${rate(longBurn)}). ${budgetLeftText(left)}`
  );
}

export function burnDetail(
  slo: Slo,
  rule: BurnRule,
  reading: { longBurn: number; shortBurn: number; long: Counts; short: Counts },
): string {
  return (
    `Burn rate ${rate(reading.longBurn)} over ${rule.name.split('/')[0]} and ${rate(reading.shortBurn)} over ` +
    `${rule.name.split('/')[1]} (alerting above ${rate(rule.burnRate)} on both). SLO: ${percent(slo.target)} good ` +
    `over ${durationText(slo.periodSeconds)}. ${totalOf(reading.long)} events in the last ` +
    `${spanText(rule.longSeconds)}, ${reading.long.bad} of them bad.`
  );
}

export function ticketText(
  feature: Feature,
  slo: Slo,
  rule: BurnRule,
  longBurn: number,
  left: number,
): string {
  // Alone in the channel, so it names the feature.
  const summary = `${feature.key}: ${burnSummary(slo, rule, longBurn, left)}`;
  // The slow rule also sees fast burns: calling a 30× burn "not urgent" would contradict its
  // own number. At a page rule's rate it says the page rules are the ones to watch.
  const paging = slo.burnAlerts.filter((r) => r.notify === 'page' && longBurn >= r.burnRate);
  if (paging.length) {
    const fastest = paging.reduce((a, b) => (b.burnRate > a.burnRate ? b : a));
    return (
      `:warning: ${summary} That is a paging rate (the ${fastest.name} rule pages above ` +
      `${rate(fastest.burnRate)}): it pages as soon as its shorter windows agree.`
    );
  }
  return `:ticket: ${summary} A slow burn, not urgent enough to page: someone should look at it this week.`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled to the largest; all-zero reads as a flat line. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (max <= 0 ? BARS[0] : BARS[Math.min(7, Math.floor((Math.max(0, v) / max) * 7.999))]))
    .join('');
}
