// Quality-watch state: where each watch (feature and metric) stands between evaluations, and
// the learned bands cached per hour. The evaluation of a slot runs once across replicas (its
// job id is the slot); a firing change is still claimed by a conditional update, so two
// overlapping evaluations (a slow cycle and the next slot) act on it once.
import type { WatchState } from '../generated/prisma/client.ts';
import type { BandRow } from './measurements.ts';
import type { Tx } from './tx.ts';

export type WatchStateRow = Pick<
  WatchState,
  'featureKey' | 'metric' | 'firing' | 'outSince' | 'inSince' | 'since' | 'value' | 'incidentId'
>;

export function watchStates(db: Tx, featureKeys?: string[]): Promise<WatchStateRow[]> {
  return db.watchState.findMany({
    where: featureKeys ? { featureKey: { in: featureKeys } } : {},
    select: {
      featureKey: true,
      metric: true,
      firing: true,
      outSince: true,
      inSince: true,
      since: true,
      value: true,
      incidentId: true,
    },
  });
}

/** The streak bookkeeping of one evaluation (not the firing flag: that is claimed). */
export async function saveWatchReading(
  db: Tx,
  r: {
    featureKey: string;
    metric: string;
    outSince: Date | null;
    inSince: Date | null;
    value: number | null;
    at: Date;
  },
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO watch_state (feature_key, metric, firing, out_since, in_since, value, evaluated_at)
    VALUES (${r.featureKey}, ${r.metric}, false, ${r.outSince}, ${r.inSince}, ${r.value}, ${r.at})
    ON CONFLICT (feature_key, metric) DO UPDATE SET
      out_since = EXCLUDED.out_since, in_since = EXCLUDED.in_since,
      value = coalesce(EXCLUDED.value, watch_state.value), evaluated_at = EXCLUDED.evaluated_at`;
}

/** Claims the change to `firing`: true for the one evaluator that changed it. */
export async function claimWatchTransition(
  db: Tx,
  t: { featureKey: string; metric: string; firing: boolean; at: Date },
): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE watch_state SET firing = ${t.firing}, since = ${t.at},
      out_since = CASE WHEN ${t.firing} THEN out_since ELSE NULL END, in_since = NULL
    WHERE feature_key = ${t.featureKey} AND metric = ${t.metric} AND firing <> ${t.firing}`;
  return changed > 0;
}

/** Undoes a claim whose effect failed, so the next cycle tries again. */
export async function setWatchFiring(
  db: Tx,
  featureKey: string,
  metric: string,
  firing: boolean,
): Promise<void> {
  await db.$executeRaw`
    UPDATE watch_state SET firing = ${firing} WHERE feature_key = ${featureKey} AND metric = ${metric}`;
}

export async function setWatchIncident(
  db: Tx,
  featureKey: string,
  metric: string,
  incidentId: string | null,
) {
  await db.$executeRaw`
    UPDATE watch_state SET incident_id = ${incidentId}::uuid WHERE feature_key = ${featureKey} AND metric = ${metric}`;
}

/** The newest band computed at or before `hour` of each of these watches. */
export async function latestBands(
  db: Tx,
  watches: { featureKey: string; metric: string }[],
  hour: Date,
): Promise<Map<string, BandRow & { hour: Date }>> {
  if (!watches.length) return new Map();
  const rows = await db.$queryRaw<
    (Omit<BandRow, 'basis'> & { feature_key: string; metric: string; hour: Date; basis: string })[]
  >`
    SELECT DISTINCT ON (feature_key, metric) feature_key, metric, hour, median, mad, samples, days, basis
    FROM watch_band
    WHERE (feature_key, metric) IN (
            SELECT * FROM unnest(${watches.map((w) => w.featureKey)}::text[], ${watches.map((w) => w.metric)}::text[]))
      AND hour <= ${hour} AND hour > ${hour}::timestamptz - interval '1 day'
    ORDER BY feature_key, metric, hour DESC`;
  return new Map(
    rows.map((r) => [
      `${r.feature_key}\0${r.metric}`,
      {
        hour: r.hour,
        median: r.median,
        mad: r.mad,
        samples: r.samples,
        days: r.days,
        basis: r.basis === 'whole' ? 'whole' : 'hour-of-week',
      },
    ]),
  );
}
