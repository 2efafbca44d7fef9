// Where every watch stands now: its value, its band (or drift score), whether it has learned
// enough to judge, and the replay links of the minutes that count. Shared by the evaluation
// and /ai-watch. Cost per call: one scan of the recent minutes for every watch, one read of
// the cached bands, at most BANDS_PER_CALL band computations (each once per watch and hour)
// and one histogram read per drift watch.
import type { Feature, Watch } from '../../config/catalog.ts';
import {
  baselineHistogram,
  computeBand,
  type MinutePoint,
  minutePoints,
  type ReplayLink,
} from '../../store/measurements.ts';
import { latestBands } from '../../store/watches.ts';
import type { WatchDeps } from './deps.ts';
import { type Band, type Learning, learnedBand, learning, psi, type Reading, readBand } from './judge.ts';
import { basisText } from './messages.ts';

/** Minute rows are kept this long: a learned band over a longer baseline reads hour rows. */
export const MINUTE_RETENTION_MS = 8 * 86_400_000;
export const BANDS_PER_CALL = 100;
/** Fewer minutes than this at the same hour of the week, and the whole baseline is used. */
const MIN_HOUR_OF_WEEK_SAMPLES = { measurement_minute: 30, measurement_hour: 3 } as const;
/** A drift window with fewer observations than this is not judged (PSI is noise on a handful). */
export const MIN_DRIFT_OBSERVATIONS = 50;
const MAX_LINKS = 3;

export interface WatchStatus {
  feature: Feature;
  watch: Watch;
  /** The window's mean, or the PSI for drift; null without data. */
  value: number | null;
  band: Band | null;
  basis: string | null;
  learning: Learning | null;
  reading: Reading | null;
  links: ReplayLink[];
  /** Why there is no reading, in words. */
  note: string | null;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

export function watchedFeatures(deps: WatchDeps): Feature[] {
  return deps.catalog.catalog.features.filter((f) => f.watches.length > 0);
}

/** The newest distinct links of the minutes from `from` on, else of the whole span. */
function linksOf(points: readonly MinutePoint[], from: number): ReplayLink[] {
  const pick = (list: readonly MinutePoint[]) => {
    const seen = new Map<string, ReplayLink>();
    for (const p of [...list].reverse())
      for (const l of p.examples) if (!seen.has(l.url) && seen.size < MAX_LINKS) seen.set(l.url, l);
    return [...seen.values()];
  };
  const recent = pick(points.filter((p) => p.minute.getTime() >= from));
  return recent.length ? recent : pick(points);
}

export async function readWatches(deps: WatchDeps, features: Feature[], now: Date): Promise<WatchStatus[]> {
  const pairs = features.flatMap((feature) => feature.watches.map((watch) => ({ feature, watch })));
  if (!pairs.length) return [];
  const end = Math.floor(now.getTime() / MINUTE) * MINUTE;
  // The hour of the minutes judged (the last complete one), not of the clock: at 12:00:01 the
  // 11:59 minute is judged against 11:00's band, not against a busier afternoon's.
  const hour = new Date(Math.floor((end - 1) / HOUR) * HOUR);
  const span = Math.max(...pairs.map((p) => (p.watch.windowSeconds + p.watch.forSeconds) * 1000));
  const keys = pairs.map((p) => ({ featureKey: p.feature.key, metric: p.watch.metric }));
  const points = await minutePoints(deps.db, keys, new Date(end - span - MINUTE), new Date(end));
  const byWatch = new Map<string, MinutePoint[]>();
  for (const p of points) {
    const key = `${p.featureKey}\0${p.metric}`;
    const list = byWatch.get(key) ?? [];
    list.push(p);
    byWatch.set(key, list);
  }
  const learned = pairs.filter((p) => p.watch.kind === 'learned');
  const bands = await latestBands(
    deps.db,
    learned.map((p) => ({ featureKey: p.feature.key, metric: p.watch.metric })),
    hour,
  );
  let computed = 0;
  const out: WatchStatus[] = [];
  for (const { feature, watch } of pairs) {
    const key = `${feature.key}\0${watch.metric}`;
    const mine = byWatch.get(key) ?? [];
    const base: WatchStatus = {
      feature,
      watch,
      value: null,
      band: null,
      basis: null,
      learning: null,
      reading: null,
      links: [],
      note: null,
    };
    const windowStart = end - watch.windowSeconds * 1000;
    if (watch.kind === 'drift') {
      out.push(await readDrift(deps, base, mine, windowStart, end, now));
      continue;
    }
    let band: Band;
    if (watch.kind === 'fixed') band = { lo: watch.min, hi: watch.max };
    else {
      let row = bands.get(key);
      if ((!row || row.hour.getTime() < hour.getTime()) && computed < BANDS_PER_CALL) {
        computed++;
        const table =
          watch.baselineSeconds * 1000 > MINUTE_RETENTION_MS ? 'measurement_hour' : 'measurement_minute';
        const fresh = await computeBand(
          deps.db,
          {
            featureKey: feature.key,
            metric: watch.metric,
            from: new Date(hour.getTime() - watch.baselineSeconds * 1000),
            hour,
            timeZone: feature.slack.timeZone,
            minSamples: MIN_HOUR_OF_WEEK_SAMPLES[table],
          },
          table,
          now,
        );
        row = { ...fresh, hour };
      }
      const learnt = row
        ? learning(row.days, watch.baselineSeconds)
        : { days: 0, of: watch.baselineSeconds / 86_400 };
      if (!row || row.median === null || learnt) {
        out.push({
          ...base,
          value: mean(mine, windowStart, end),
          learning: learnt ?? { days: 0, of: watch.baselineSeconds / 86_400 },
        });
        continue;
      }
      band = learnedBand(row.median, row.mad ?? 0, watch.k, watch.direction);
      base.basis = basisText(row.basis, watch.baselineSeconds, hour, feature.slack.timeZone);
    }
    // A learned band belongs to its hour: minutes of the hour before were judged by another.
    const since = watch.kind === 'learned' ? hour.getTime() : 0;
    const reading = readBand(
      mine
        .filter((p) => p.minute.getTime() >= since)
        .map((p) => ({ minute: p.minute.getTime(), mean: p.mean })),
      band,
      Math.max(windowStart, since),
      end,
    );
    out.push({
      ...base,
      band,
      value: reading?.value ?? null,
      reading,
      links: reading ? linksOf(mine, reading.runStart) : [],
      note: reading ? null : 'no data',
    });
  }
  return out;
}

function mean(points: readonly MinutePoint[], from: number, to: number): number | null {
  const inWindow = points.filter((p) => p.minute.getTime() >= from && p.minute.getTime() < to);
  return inWindow.length ? inWindow.reduce((s, p) => s + p.mean, 0) / inWindow.length : null;
}

async function readDrift(
  deps: WatchDeps,
  base: WatchStatus,
  points: readonly MinutePoint[],
  windowStart: number,
  end: number,
  now: Date,
): Promise<WatchStatus> {
  const { watch } = base;
  if (watch.kind !== 'drift') return base;
  const band: Band = { lo: null, hi: watch.threshold };
  const baselineEnd = Math.floor(windowStart / HOUR) * HOUR;
  const baseline = await baselineHistogram(
    deps.db,
    base.feature.key,
    watch.metric,
    new Date(now.getTime() - watch.baselineSeconds * 1000),
    new Date(baselineEnd),
  );
  const days = baseline.first ? (now.getTime() - baseline.first.getTime()) / 86_400_000 : 0;
  const learnt = learning(days, watch.baselineSeconds);
  if (learnt) return { ...base, band, learning: learnt };
  const window: Record<string, number> = {};
  let observations = 0;
  const inWindow = points.filter((p) => p.minute.getTime() >= windowStart && p.minute.getTime() < end);
  for (const p of inWindow)
    for (const [bound, n] of Object.entries(p.buckets ?? {})) {
      window[bound] = (window[bound] ?? 0) + n;
      observations += n;
    }
  if (observations < MIN_DRIFT_OBSERVATIONS)
    return { ...base, band, note: `too few observations in the last window (${observations})` };
  const score = psi(window, baseline.buckets);
  if (score === null) return { ...base, band, note: 'no baseline histogram' };
  const reading: Reading = { value: score, out: score > watch.threshold, runStart: end };
  return { ...base, band, value: score, reading, links: linksOf(inWindow, windowStart) };
}
