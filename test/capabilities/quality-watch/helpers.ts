// Shared pieces for the quality-watch tests: the catalog's watch block, measurements stored the
// way POST /signals stores them, and history seeded straight into the minute and hour rows.
import { parseSignalBatch } from '../../../src/capabilities/error-budget/signals.ts';
import { parseMeasurements } from '../../../src/capabilities/quality-watch/measurements.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { storeSignalBatch } from '../../../src/store/signals.ts';
import type { TestDatabase } from '../../support/database.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests edit the parsed YAML tree
export function addWatches(t: any, watch: Record<string, unknown> = WATCHES): void {
  t.features[0].watch = watch;
  // Evaluated by the tests alone unless a test says otherwise: a background cycle would race it.
  t.defaults.watch = { evaluate_every: '1h' };
  delete t.defaults.error_budget.weekly_report;
}

export const WATCHES = {
  handoff_rate: { band: 'learned', for: '10m', notify: 'page', label: 'hand-off rate', unit: 'ratio' },
  conversation_turns: { band: { max: 12 }, for: '15m', notify: 'notice' },
  confidence: { drift: 'psi', threshold: 0.2, window: '1h', baseline: '7d', notify: 'page' },
};

let batches = 0;

/** Validates and stores measurements exactly as POST /signals does (without HTTP). */
export async function storeMeasurements(
  deps: AppDeps,
  measurements: Record<string, unknown>[],
  batchId?: string,
) {
  const now = deps.clock.now();
  const body = {
    batch_id: batchId ?? `m-${++batches}`,
    measurements: measurements.map((m) => ({ feature: 'ai-support-bot', at: now.toISOString(), ...m })),
  };
  const parsed = parseSignalBatch(body, deps.catalog.catalog, now, parseMeasurements);
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.message}`);
  return storeSignalBatch(deps.db, parsed.batch, body, now);
}

/**
 * History straight into the rows: one value per minute in [from, to) from `valueAt(ms)` (and,
 * with `buckets`, that histogram), the hour rows summed from the minutes as ingest would.
 */
export async function seedMinutes(
  db: TestDatabase,
  metric: string,
  from: number,
  to: number,
  valueAt: (ms: number) => number,
  buckets?: (ms: number) => Record<string, number>,
) {
  const rows: unknown[] = [];
  for (let t = from; t < to; t += 60_000) {
    const b = buckets?.(t) ?? null;
    const count = b ? Object.values(b).reduce((s, n) => s + n, 0) : 1;
    rows.push({ minute: new Date(t).toISOString(), count, sum: valueAt(t) * count, buckets: b });
  }
  await db.query(
    `INSERT INTO measurement_minute (feature_key, metric, minute, count, sum, min, max, buckets)
     SELECT 'ai-support-bot', $1, r.minute, r.count, r.sum, NULL, NULL, r.buckets
     FROM jsonb_to_recordset($2::jsonb) AS r(minute timestamptz, count float8, sum float8, buckets jsonb)`,
    [metric, JSON.stringify(rows)],
  );
  const hours = new Map<
    string,
    { hour: string; count: number; sum: number; buckets: Record<string, number> | null }
  >();
  for (const r of rows as {
    minute: string;
    count: number;
    sum: number;
    buckets: Record<string, number> | null;
  }[]) {
    const hour = new Date(Math.floor(Date.parse(r.minute) / 3_600_000) * 3_600_000).toISOString();
    const h = hours.get(hour) ?? { hour, count: 0, sum: 0, buckets: r.buckets ? {} : null };
    h.count += r.count;
    h.sum += r.sum;
    if (r.buckets && h.buckets)
      for (const [k, n] of Object.entries(r.buckets)) h.buckets[k] = (h.buckets[k] ?? 0) + n;
    hours.set(hour, h);
  }
  await db.query(
    `INSERT INTO measurement_hour (feature_key, metric, hour, count, sum, buckets)
     SELECT 'ai-support-bot', $1, r.hour, r.count, r.sum, r.buckets
     FROM jsonb_to_recordset($2::jsonb) AS r(hour timestamptz, count float8, sum float8, buckets jsonb)
     ON CONFLICT (feature_key, metric, hour) DO UPDATE SET count = measurement_hour.count + EXCLUDED.count,
       sum = measurement_hour.sum + EXCLUDED.sum, buckets = failsafe_merge_buckets(measurement_hour.buckets, EXCLUDED.buckets)`,
    [metric, JSON.stringify([...hours.values()])],
  );
}
