// Window sums from the database: one scan of the minute rows for the windows under a day and
// one of the hour rows for the rest, every window a FILTER over the same scan. Bucket rules
// are those of math.ts (windowBounds), which the tests check against a brute-force sum.

import type { Db } from '../../db/client.ts';
import { dailySignalSums, sumSignalWindows, type WindowSums } from '../../store/signals.ts';
import { type Counts, NO_EVENTS, resolutionOf, windowBounds } from './math.ts';

export interface FeatureKinds {
  key: string;
  /** Null counts every kind. */
  kinds: string[] | null;
}

/** feature key → window seconds → counts of the kinds that feature counts. */
export type WindowTotals = Map<string, Map<number, Counts>>;

export function countsIn(totals: WindowTotals, feature: string, windowSeconds: number): Counts {
  return totals.get(feature)?.get(windowSeconds) ?? NO_EVENTS;
}

async function scan(
  db: Db,
  table: 'signal_minute' | 'signal_hour',
  nowMs: number,
  windows: number[],
  keys: string[],
): Promise<WindowSums[]> {
  const bounds = windows.map((w) => windowBounds(nowMs, w));
  const to = new Date((bounds[0] as { to: number }).to);
  return sumSignalWindows(
    db,
    table,
    keys,
    bounds.map((b) => new Date(b.from)),
    to,
  );
}

export async function readWindowTotals(
  db: Db,
  now: Date,
  features: FeatureKinds[],
  windowSeconds: number[],
): Promise<WindowTotals> {
  const totals: WindowTotals = new Map(features.map((f) => [f.key, new Map()]));
  const kindsOf = new Map(features.map((f) => [f.key, f.kinds ? new Set(f.kinds) : null]));
  const keys = features.map((f) => f.key);
  const unique = [...new Set(windowSeconds)];
  for (const resolution of [60, 3600] as const) {
    const windows = unique.filter((w) => resolutionOf(w) === resolution);
    if (!windows.length || !keys.length) continue;
    const table = resolution === 60 ? 'signal_minute' : 'signal_hour';
    for (const row of await scan(db, table, now.getTime(), windows, keys)) {
      const kinds = kindsOf.get(row.featureKey);
      if (kinds && !kinds.has(row.kind)) continue;
      const byWindow = totals.get(row.featureKey) as Map<number, Counts>;
      windows.forEach((w, i) => {
        const prev = byWindow.get(w) ?? NO_EVENTS;
        const sum = row.windows[i] ?? NO_EVENTS;
        byWindow.set(w, { good: prev.good + sum.good, bad: prev.bad + sum.bad });
      });
    }
  }
  return totals;
}

/** Daily counts for the `days` whole 24-hour spans ending at `end` (oldest first), from hour rows. */
export async function readDailyCounts(
  db: Db,
  end: Date,
  feature: FeatureKinds,
  days: number,
): Promise<Counts[]> {
  const endHour = Math.floor(end.getTime() / 3_600_000) * 3_600_000;
  const start = new Date(endHour - days * 86_400_000);
  const rows = await dailySignalSums(db, feature.key, start, new Date(endHour));
  const out: Counts[] = Array.from({ length: days }, () => ({ good: 0, bad: 0 }));
  const kinds = feature.kinds ? new Set(feature.kinds) : null;
  for (const r of rows) {
    if (kinds && !kinds.has(r.kind)) continue;
    const day = out[r.day];
    if (!day) continue;
    day.good += r.good;
    day.bad += r.bad;
  }
  return out;
}
