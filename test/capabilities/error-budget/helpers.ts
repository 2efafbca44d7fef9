// Shared pieces for the error-budget tests: signals written the way POST /signals writes them,
// and clean history straight into the hour rows.
import { parseSignalBatch } from '../../../src/capabilities/error-budget/signals.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { storeSignalBatch } from '../../../src/store/signals.ts';
import type { TestDatabase } from '../../support/database.ts';

export interface Signal {
  feature: string;
  kind?: string;
  good: number;
  bad: number;
  /** Defaults to the clock's now. */
  at?: number;
}

let batches = 0;

/** Validates and stores a batch exactly as POST /signals does (without HTTP). */
export async function storeSignals(deps: AppDeps, signals: Signal[], batchId = `test-${++batches}`) {
  const now = deps.clock.now();
  const body = {
    batch_id: batchId,
    signals: signals.map((s) => ({
      feature: s.feature,
      kind: s.kind ?? 'eval',
      good: s.good,
      bad: s.bad,
      at: new Date(s.at ?? now.getTime()).toISOString(),
    })),
  };
  const parsed = parseSignalBatch(body, deps.catalog.catalog, now);
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.message}`);
  return storeSignalBatch(deps.db, parsed.batch, body, now);
}

/** Clean history straight into the hour rows: `perHour` good events each hour in [from, to). */
export async function seedHours(
  db: TestDatabase,
  feature: string,
  from: number,
  to: number,
  perHour: number,
) {
  await db.query(
    `INSERT INTO signal_hour (feature_key, hour, kind, good, bad)
     SELECT $1, h, 'eval', $4, 0 FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') AS h`,
    [feature, new Date(from), new Date(to), perHour],
  );
}
