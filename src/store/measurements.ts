// Quality-watch measurements: the rows a batch adds (written in the signal batch's statement,
// see signals.ts), the windows the evaluation reads, learned bands computed once per hour,
// and pruning. Everything is per feature, metric and minute (or hour), never per observation.
import { Prisma } from '../generated/prisma/client.ts';
import type { Db, Tx } from './tx.ts';

export interface ReplayLink {
  url: string;
  label: string;
}

/** One feature, metric and minute of a batch, its observations already summed. */
export interface MeasurementRow {
  feature_key: string;
  metric: string;
  minute: string;
  hour: string;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Upper bound as text ("0.5", "+Inf") → observations in that bucket. */
  buckets: Record<string, number> | null;
  examples: ReplayLink[];
}

/** At most this many replay links are kept per feature, metric and minute. */
export const EXAMPLES_PER_MINUTE = 5;

/** The batch's rows summed per hour, in the same key order as the minutes. */
export function measurementHours(rows: MeasurementRow[]): Omit<MeasurementRow, 'minute' | 'examples'>[] {
  const hours = new Map<string, Omit<MeasurementRow, 'minute' | 'examples'>>();
  for (const r of rows) {
    const key = `${r.feature_key}\0${r.metric}\0${r.hour}`;
    const h = hours.get(key);
    if (!h) {
      const { minute: _m, examples: _e, ...rest } = r;
      hours.set(key, { ...rest, buckets: r.buckets ? { ...r.buckets } : null });
      continue;
    }
    h.count += r.count;
    h.sum += r.sum;
    h.min = r.min === null ? h.min : h.min === null ? r.min : Math.min(h.min, r.min);
    h.max = r.max === null ? h.max : h.max === null ? r.max : Math.max(h.max, r.max);
    if (r.buckets) {
      h.buckets ??= {};
      for (const [bound, n] of Object.entries(r.buckets)) h.buckets[bound] = (h.buckets[bound] ?? 0) + n;
    }
  }
  return [...hours.values()];
}

/**
 * The CTEs that add a batch's measurements, gated on the batch row (`batch`) as the signal
 * counts are: spliced into storeSignalBatch's statement so counts and measurements commit together.
 */
export function measurementInserts(rows: MeasurementRow[]): Prisma.Sql {
  const minutes = rows.map((r, n) => ({ ...r, n }));
  const hours = measurementHours(rows).map((r, n) => ({ ...r, n }));
  return Prisma.sql`
    measure_minutes AS (
      INSERT INTO measurement_minute AS m (feature_key, metric, minute, count, sum, min, max, buckets, examples)
      SELECT r.feature_key, r.metric, r.minute, r.count, r.sum, r.min, r.max, r.buckets,
             failsafe_merge_examples(r.examples, '[]', ${EXAMPLES_PER_MINUTE})
      FROM jsonb_to_recordset(${JSON.stringify(minutes)}::jsonb)
           AS r(feature_key text, metric text, minute timestamptz, count float8, sum float8, min float8,
                max float8, buckets jsonb, examples jsonb, n bigint)
      WHERE EXISTS (SELECT 1 FROM batch)
      ORDER BY r.n
      ON CONFLICT (feature_key, metric, minute) DO UPDATE SET
        count = m.count + EXCLUDED.count, sum = m.sum + EXCLUDED.sum,
        min = least(m.min, EXCLUDED.min), max = greatest(m.max, EXCLUDED.max),
        buckets = failsafe_merge_buckets(m.buckets, EXCLUDED.buckets),
        examples = failsafe_merge_examples(EXCLUDED.examples, m.examples, ${EXAMPLES_PER_MINUTE})
      RETURNING 1
    ), measure_hours AS (
      INSERT INTO measurement_hour AS m (feature_key, metric, hour, count, sum, min, max, buckets)
      SELECT r.feature_key, r.metric, r.hour, r.count, r.sum, r.min, r.max, r.buckets
      FROM jsonb_to_recordset(${JSON.stringify(hours)}::jsonb)
           AS r(feature_key text, metric text, hour timestamptz, count float8, sum float8, min float8,
                max float8, buckets jsonb, n bigint)
      WHERE EXISTS (SELECT 1 FROM batch)
      ORDER BY r.n
      ON CONFLICT (feature_key, metric, hour) DO UPDATE SET
        count = m.count + EXCLUDED.count, sum = m.sum + EXCLUDED.sum,
        min = least(m.min, EXCLUDED.min), max = greatest(m.max, EXCLUDED.max),
        buckets = failsafe_merge_buckets(m.buckets, EXCLUDED.buckets)
      RETURNING 1
    )`;
}

export interface MinutePoint {
  featureKey: string;
  metric: string;
  minute: Date;
  /** The minute's mean (sum / count). */
  mean: number;
  count: number;
  buckets: Record<string, number> | null;
  examples: ReplayLink[];
}

/** Minute rows of these watches in [from, to), oldest first: one scan for every watch. */
export async function minutePoints(
  db: Tx,
  watches: { featureKey: string; metric: string }[],
  from: Date,
  to: Date,
): Promise<MinutePoint[]> {
  if (!watches.length) return [];
  const rows = await db.$queryRaw<
    {
      feature_key: string;
      metric: string;
      minute: Date;
      mean: number;
      count: number;
      buckets: unknown;
      examples: unknown;
    }[]
  >`
    SELECT feature_key, metric, minute, (sum / nullif(count, 0))::float8 AS mean, count::float8 AS count,
           buckets, examples
    FROM measurement_minute
    WHERE (feature_key, metric) IN (
            SELECT * FROM unnest(${watches.map((w) => w.featureKey)}::text[], ${watches.map((w) => w.metric)}::text[]))
      AND minute >= ${from} AND minute < ${to} AND count > 0
    ORDER BY minute`;
  return rows.map((r) => ({
    featureKey: r.feature_key,
    metric: r.metric,
    minute: r.minute,
    mean: Number(r.mean),
    count: Number(r.count),
    buckets: (r.buckets as Record<string, number> | null) ?? null,
    examples: Array.isArray(r.examples) ? (r.examples as ReplayLink[]) : [],
  }));
}

/** The feature's hour rows' histograms in [from, to), summed bucket by bucket, and the first hour seen. */
export async function baselineHistogram(
  db: Tx,
  featureKey: string,
  metric: string,
  from: Date,
  to: Date,
): Promise<{ buckets: Record<string, number>; first: Date | null }> {
  const [row] = await db.$queryRaw<{ buckets: Record<string, number> | null; first: Date | null }[]>`
    SELECT (SELECT jsonb_object_agg(key, total) FROM (
              SELECT b.key, sum(b.value::float8) AS total
              FROM measurement_hour h, jsonb_each_text(h.buckets) AS b
              WHERE h.feature_key = ${featureKey} AND h.metric = ${metric} AND h.hour >= ${from} AND h.hour < ${to}
              GROUP BY b.key) AS s) AS buckets,
           (SELECT min(hour) FROM measurement_hour
             WHERE feature_key = ${featureKey} AND metric = ${metric} AND hour >= ${from} AND hour < ${to}
               AND buckets IS NOT NULL) AS first`;
  return { buckets: row?.buckets ?? {}, first: row?.first ?? null };
}

export interface BandRow {
  median: number | null;
  mad: number | null;
  samples: number;
  days: number;
  basis: 'hour-of-week' | 'whole';
}

/**
 * Median and MAD of the minute means (or, for baselines longer than the minutes are kept, the
 * hour means) in [from, hour): first over the same hour of the week in `timeZone`, then over
 * the whole baseline when that holds fewer than `minSamples`. Stored for the hour, so the
 * percentile scans run once per watch per hour whatever the evaluation frequency.
 */
export async function computeBand(
  db: Db,
  w: { featureKey: string; metric: string; from: Date; hour: Date; timeZone: string; minSamples: number },
  table: 'measurement_minute' | 'measurement_hour',
  now: Date,
): Promise<BandRow> {
  const column = Prisma.raw(table === 'measurement_minute' ? 'minute' : 'hour');
  const [row] = await db.$queryRaw<
    { median: number | null; mad: number | null; samples: number; first: Date | null; basis: string }[]
  >`
    WITH points AS (
      SELECT ${column} AS at, sum / count AS mean,
             extract(isodow FROM ${column} AT TIME ZONE ${w.timeZone}) = extract(isodow FROM ${w.hour}::timestamptz AT TIME ZONE ${w.timeZone})
             AND extract(hour FROM ${column} AT TIME ZONE ${w.timeZone}) = extract(hour FROM ${w.hour}::timestamptz AT TIME ZONE ${w.timeZone}) AS same
      FROM ${Prisma.raw(table)}
      WHERE feature_key = ${w.featureKey} AND metric = ${w.metric} AND count > 0
        AND ${column} >= ${w.from} AND ${column} < ${w.hour}
    ), chosen AS (
      SELECT CASE WHEN (SELECT count(*) FROM points WHERE same) >= ${w.minSamples} THEN 'hour-of-week' ELSE 'whole' END AS basis
    ), sample AS (
      SELECT mean FROM points, chosen WHERE chosen.basis = 'whole' OR same
    ), mid AS (
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY mean) AS median, count(*)::int AS samples FROM sample
    )
    SELECT mid.median, mid.samples, chosen.basis,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(mean - mid.median)) FROM sample) AS mad,
           (SELECT min(at) FROM points) AS first
    FROM mid, chosen`;
  const days = row?.first ? (now.getTime() - row.first.getTime()) / 86_400_000 : 0;
  const band: BandRow = {
    median: row?.median ?? null,
    mad: row?.mad ?? null,
    samples: row?.samples ?? 0,
    days,
    basis: row?.basis === 'hour-of-week' ? 'hour-of-week' : 'whole',
  };
  await db.$executeRaw`
    INSERT INTO watch_band (feature_key, metric, hour, median, mad, samples, days, basis, computed_at)
    VALUES (${w.featureKey}, ${w.metric}, ${w.hour}, ${band.median}, ${band.mad}, ${band.samples}, ${band.days},
            ${band.basis}, ${now})
    ON CONFLICT (feature_key, metric, hour) DO NOTHING`;
  return band;
}

export interface MeasurementRetention {
  minutesMs: number;
  hoursMs: number;
}

/** Deletes what no window or baseline needs any more; bounded like pruneSignals. */
export async function pruneMeasurements(db: Db, now: Date, keep: MeasurementRetention): Promise<void> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  await db.$executeRaw`
    DELETE FROM measurement_minute WHERE ctid IN (
      SELECT ctid FROM measurement_minute WHERE minute < ${before(keep.minutesMs)} LIMIT 50000)`;
  await db.$executeRaw`
    DELETE FROM measurement_hour WHERE ctid IN (
      SELECT ctid FROM measurement_hour WHERE hour < ${before(keep.hoursMs)} LIMIT 50000)`;
  await db.$executeRaw`
    DELETE FROM watch_band WHERE ctid IN (
      SELECT ctid FROM watch_band WHERE hour < ${before(2 * 86_400_000)} LIMIT 50000)`;
}

/** The feature's hour rows from `from` to `to`: each metric's mean per hour, oldest first. */
export async function hourlyMeans(
  db: Tx,
  featureKey: string,
  from: Date,
  to: Date,
): Promise<{ metric: string; hour: Date; mean: number }[]> {
  const rows = await db.$queryRaw<{ metric: string; hour: Date; mean: number }[]>`
    SELECT metric, hour, (sum / count)::float8 AS mean FROM measurement_hour
    WHERE feature_key = ${featureKey} AND hour >= ${from} AND hour < ${to} AND count > 0
    ORDER BY hour`;
  return rows.map((r) => ({ metric: r.metric, hour: r.hour, mean: Number(r.mean) }));
}
