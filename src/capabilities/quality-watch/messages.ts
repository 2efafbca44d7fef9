// The words and numbers people read: "ai-support-bot: hand-off rate 31% for 12 min (normal
// 8–14% at this hour on Tuesdays). Replay: low confidence refund answer." Plain text: whoever
// puts it into Slack or Markdown escapes it there.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Watch } from '../../config/catalog.ts';
import type { ReplayLink } from '../../store/measurements.ts';
import type { Band, Learning } from './judge.ts';

/** 0.31 → "31%" for a ratio; 4.567 → "4.57"; then the unit, if any. */
export function formatValue(value: number, watch: Pick<Watch, 'unit'>): string {
  if (watch.unit === 'ratio') {
    const p = value * 100;
    const text = Math.abs(p) < 10 ? p.toFixed(1).replace(/\.0$/, '') : String(Math.round(p));
    return `${text === '-0' ? '0' : text}%`;
  }
  const abs = Math.abs(value);
  const text = abs >= 100 ? String(Math.round(value)) : abs >= 10 ? value.toFixed(1) : value.toPrecision(3);
  const trimmed = text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
  return watch.unit ? `${trimmed} ${watch.unit}` : trimmed;
}

/** "8–14%", "at most 12", "at least 0.85". */
export function bandText(band: Band, watch: Pick<Watch, 'unit'>): string {
  if (band.lo !== null && band.hi !== null) {
    if (watch.unit === 'ratio')
      return `${formatValue(band.lo, watch).replace(/%$/, '')}–${formatValue(band.hi, watch)}`;
    return `${formatValue(band.lo, { unit: null })}–${formatValue(band.hi, watch)}`;
  }
  if (band.hi !== null) return `at most ${formatValue(band.hi, watch)}`;
  return `at least ${formatValue(band.lo ?? 0, watch)}`;
}

/** "at this hour on Tuesdays" (in the feature's zone), or "over the last 7 days". */
export function basisText(basis: 'hour-of-week' | 'whole', baselineSeconds: number, at: Date, zone: string) {
  if (basis === 'hour-of-week') return `at this hour on ${format(new TZDate(at, zone), 'EEEE')}s`;
  return `over the last ${Math.round(baselineSeconds / 86_400)} days`;
}

export function minutesText(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  return min >= 120 ? `${Math.round(min / 60)} h` : `${min} min`;
}

export function learningText(l: Learning): string {
  return `learning (${l.days} of ${Number.isInteger(l.of) ? l.of : l.of.toFixed(1)} days)`;
}

export function replayText(links: readonly ReplayLink[]): string {
  return links.length ? ` Replay: ${links.map((l) => l.label).join('; ')}.` : '';
}

export interface Verdict {
  watch: Watch;
  featureKey: string;
  /** The window's mean, or the PSI for drift. */
  value: number;
  band: Band;
  /** "at this hour on Tuesdays"; null for a fixed band. */
  basis: string | null;
  lastedMs: number;
  links: ReplayLink[];
}

/** The alert's one line, fired or recovered. */
export function verdictSummary(v: Verdict, firing: boolean): string {
  const { watch } = v;
  if (watch.kind === 'drift') {
    const shift = `PSI ${v.value.toFixed(2)} over the last ${minutesText(watch.windowSeconds * 1000)} against the ${Math.round(watch.baselineSeconds / 86_400)} days before (threshold ${watch.threshold})`;
    return firing
      ? `${v.featureKey}: ${watch.label} distribution shifted, ${shift} for ${minutesText(v.lastedMs)}.${replayText(v.links)}`
      : `${v.featureKey}: ${watch.label} distribution is back to normal, ${shift}.`;
  }
  const normal = `normal ${bandText(v.band, watch)}${v.basis ? ` ${v.basis}` : ''}`;
  return firing
    ? `${v.featureKey}: ${watch.label} ${formatValue(v.value, watch)} for ${minutesText(v.lastedMs)} (${normal}).${replayText(v.links)}`
    : `${v.featureKey}: ${watch.label} back in band at ${formatValue(v.value, watch)} (${normal}), after ${minutesText(v.lastedMs)} out.`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** Values as bars, scaled between their own min and max; gaps as spaces. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (!known.length) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (hi === lo) return BARS[3];
      return BARS[Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))];
    })
    .join('');
}
