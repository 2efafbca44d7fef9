// Window sums from the database: one scan of the minute rows for the windows under a day and
// one of the hour rows for the rest, every window a FILTER over the same scan. Bucket rules
// are those of math.ts (windowBounds), which the tests check against a brute-force sum.

import type { Db } from '../../db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
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

interface Row {
  feature_key: string;
  kind: string;
  [column: string]: string | number | null;
}

async function scan(
  db: Db,
  table: 'signal_minute' | 'signal_hour',
  nowMs: number,
  windows: number[],
  keys: string[],
): Promise<Row[]> {
  const column = Prisma.raw(table === 'signal_minute' ? 'minute' : 'hour');
  const bounds = windows.map((w) => windowBounds(nowMs, w));
  const from = new Date(Math.min(...bounds.map((b) => b.from)));
  const to = new Date((bounds[0] as { to: number }).to);
  const sums = bounds.map(
    (b, i) => Prisma.sql`
      coalesce(sum(good) FILTER (WHERE ${column} > ${new Date(b.from)}), 0)::float8 AS ${Prisma.raw(`g${i}`)},
      coalesce(sum(bad) FILTER (WHERE ${column} > ${new Date(b.from)}), 0)::float8 AS ${Prisma.raw(`b${i}`)}`,
  );
  return db.$queryRaw<Row[]>`
    SELECT feature_key, kind, ${Prisma.join(sums)}
    FROM ${Prisma.raw(table)}
    WHERE feature_key = ANY(${keys}) AND ${column} > ${from} AND ${column} <= ${to}
    GROUP BY feature_key, kind`;
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
      const kinds = kindsOf.get(row.feature_key);
      if (kinds && !kinds.has(row.kind)) continue;
      const byWindow = totals.get(row.feature_key) as Map<number, Counts>;
      windows.forEach((w, i) => {
        const prev = byWindow.get(w) ?? NO_EVENTS;
        byWindow.set(w, {
          good: prev.good + Number(row[`g${i}`]),
          bad: prev.bad + Number(row[`b${i}`]),
        });
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
  const rows = await db.$queryRaw<{ day: number; kind: string; good: number; bad: number }[]>`
    SELECT floor(extract(epoch FROM hour - ${start}::timestamptz) / 86400)::int AS day, kind,
           sum(good)::float8 AS good, sum(bad)::float8 AS bad
    FROM signal_hour
    WHERE feature_key = ${feature.key} AND hour >= ${start} AND hour < ${new Date(endHour)}
    GROUP BY 1, 2`;
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
