// Writes a signal batch in one statement: the batch id (so a retry adds nothing), then its
// counts added to the minute and hour rows. The insert into signal_batch gates the rest, and
// concurrent copies of one batch serialise on its primary key.
import type { Db } from '../../db/client.ts';
import type { SignalBatch, SignalRow } from './signals.ts';

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
  const [row] = await db.$queryRaw<{ fresh: boolean }[]>`
    WITH batch AS (
      INSERT INTO signal_batch (batch_id, received_at, signals, body)
      VALUES (${batch.batchId}, ${receivedAt}, ${batch.signals}, ${JSON.stringify(body)}::jsonb)
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
    )
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
