// AI quality signals: a batch written in one statement (the batch id, so a retry adds
// nothing, then its counts and measurements added to the minute and hour rows), window sums read back, and
// pruning. The insert into signal_batch gates the rest, and concurrent copies of one batch
// serialise on its primary key.
import { Prisma } from '../generated/prisma/client.ts';
import { type MeasurementRow, measurementInserts } from './measurements.ts';
import type { Db, Tx } from './tx.ts';

/** One feature, minute and kind of a batch; error-budget's parsed batches are made of these. */
export interface SignalRow {
  feature_key: string;
  minute: string;
  hour: string;
  kind: string;
  good: number;
  bad: number;
}

export interface SignalBatch {
  batchId: string;
  signals: number;
  rows: SignalRow[];
  /** Quality-watch measurements the batch carried, and their rows per minute. */
  measurements?: { count: number; rows: MeasurementRow[] };
}

export interface StoredBatch {
  /** False when this batch id was already counted. */
  fresh: boolean;
}

interface BucketRow {
  feature_key: string;
  bucket: string;
  kind: string;
  good: number;
  bad: number;
}

/** The batch's rows summed per hour, in the same key order as the minutes. */
export function hourRows(rows: SignalRow[]): BucketRow[] {
  const hours = new Map<string, BucketRow>();
  for (const r of rows) {
    const key = `${r.feature_key}\0${r.hour}\0${r.kind}`;
    const row = hours.get(key);
    if (row) {
      row.good += r.good;
      row.bad += r.bad;
    } else
      hours.set(key, { feature_key: r.feature_key, bucket: r.hour, kind: r.kind, good: r.good, bad: r.bad });
  }
  return [...hours.values()];
}

export async function storeSignalBatch(
  db: Db,
  batch: SignalBatch,
  body: unknown,
  receivedAt: Date,
): Promise<StoredBatch> {
  // `n` keeps the sorted order through the database, so row locks are always taken in it.
  const minutes = batch.rows.map((r, n) => ({ ...r, bucket: r.minute, n }));
  const hours = hourRows(batch.rows).map((r, n) => ({ ...r, n }));
  const measured = batch.measurements?.rows.length
    ? Prisma.sql`, ${measurementInserts(batch.measurements.rows)}`
    : Prisma.empty;
  const [row] = await db.$queryRaw<{ fresh: boolean }[]>`
    WITH batch AS (
      INSERT INTO signal_batch (batch_id, received_at, signals, measurements, body)
      VALUES (${batch.batchId}, ${receivedAt}, ${batch.signals}, ${batch.measurements?.count ?? 0},
              ${JSON.stringify(body)}::jsonb)
      ON CONFLICT (batch_id) DO NOTHING
      RETURNING batch_id
    ), minutes AS (
      INSERT INTO signal_minute AS s (feature_key, minute, kind, good, bad)
      SELECT r.feature_key, r.bucket, r.kind, r.good, r.bad
      FROM jsonb_to_recordset(${JSON.stringify(minutes)}::jsonb)
           AS r(feature_key text, bucket timestamptz, kind text, good bigint, bad bigint, n bigint)
      WHERE EXISTS (SELECT 1 FROM batch)
      ORDER BY r.n
      ON CONFLICT (feature_key, minute, kind)
        DO UPDATE SET good = s.good + EXCLUDED.good, bad = s.bad + EXCLUDED.bad
      RETURNING 1
    ), hours AS (
      INSERT INTO signal_hour AS s (feature_key, hour, kind, good, bad)
      SELECT r.feature_key, r.bucket, r.kind, r.good, r.bad
      FROM jsonb_to_recordset(${JSON.stringify(hours)}::jsonb)
           AS r(feature_key text, bucket timestamptz, kind text, good bigint, bad bigint, n bigint)
      WHERE EXISTS (SELECT 1 FROM batch)
      ORDER BY r.n
      ON CONFLICT (feature_key, hour, kind)
        DO UPDATE SET good = s.good + EXCLUDED.good, bad = s.bad + EXCLUDED.bad
      RETURNING 1
    )${measured}
    SELECT EXISTS (SELECT 1 FROM batch) AS fresh`;
  return { fresh: row?.fresh ?? false };
}

export interface Retention {
  /** How long a batch id is remembered (a retry after that counts again). */
  batchesMs: number;
  /** Minute rows serve windows under a day; hour rows the period and the weekly report. */
  minutesMs: number;
  hoursMs: number;
}

/** Deletes what no window needs any more; bounded, so one run never holds locks for long. */
export async function pruneSignals(db: Db, now: Date, keep: Retention): Promise<void> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  await db.$executeRaw`
    DELETE FROM signal_batch WHERE batch_id IN (
      SELECT batch_id FROM signal_batch WHERE received_at < ${before(keep.batchesMs)} LIMIT 50000)`;
  await db.$executeRaw`
    DELETE FROM signal_minute WHERE ctid IN (
      SELECT ctid FROM signal_minute WHERE minute < ${before(keep.minutesMs)} LIMIT 50000)`;
  await db.$executeRaw`
    DELETE FROM signal_hour WHERE ctid IN (
      SELECT ctid FROM signal_hour WHERE hour < ${before(keep.hoursMs)} LIMIT 50000)`;
}

export interface WindowSums {
  featureKey: string;
  kind: string;
  /** One per window start, in the order given. */
  windows: { good: number; bad: number }[];
}

/**
 * Sums good and bad per feature and kind over buckets after each of `starts` and up to `to`,
 * in one scan of `table` (every window a FILTER over it).
 */
export async function sumSignalWindows(
  db: Tx,
  table: 'signal_minute' | 'signal_hour',
  featureKeys: string[],
  starts: Date[],
  to: Date,
): Promise<WindowSums[]> {
  const column = Prisma.raw(table === 'signal_minute' ? 'minute' : 'hour');
  const from = new Date(Math.min(...starts.map((d) => d.getTime())));
  const sums = starts.map(
    (start, i) => Prisma.sql`
      coalesce(sum(good) FILTER (WHERE ${column} > ${start}), 0)::float8 AS ${Prisma.raw(`g${i}`)},
      coalesce(sum(bad) FILTER (WHERE ${column} > ${start}), 0)::float8 AS ${Prisma.raw(`b${i}`)}`,
  );
  const rows = await db.$queryRaw<Record<string, string | number>[]>`
    SELECT feature_key, kind, ${Prisma.join(sums)}
    FROM ${Prisma.raw(table)}
    WHERE feature_key = ANY(${featureKeys}) AND ${column} > ${from} AND ${column} <= ${to}
    GROUP BY feature_key, kind`;
  return rows.map((row) => ({
    featureKey: String(row.feature_key),
    kind: String(row.kind),
    windows: starts.map((_, i) => ({ good: Number(row[`g${i}`]), bad: Number(row[`b${i}`]) })),
  }));
}

interface DaySums {
  /** Whole days since the start. */
  day: number;
  kind: string;
  good: number;
  bad: number;
}

/** The feature's hour rows from `start` to `end` summed per day and kind. */
export function dailySignalSums(db: Tx, featureKey: string, start: Date, end: Date): Promise<DaySums[]> {
  return db.$queryRaw<DaySums[]>`
    SELECT floor(extract(epoch FROM hour - ${start}::timestamptz) / 86400)::int AS day, kind,
           sum(good)::float8 AS good, sum(bad)::float8 AS bad
    FROM signal_hour
    WHERE feature_key = ${featureKey} AND hour >= ${start} AND hour < ${end}
    GROUP BY 1, 2`;
}
