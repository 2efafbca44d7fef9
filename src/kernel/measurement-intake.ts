// POST /signals belongs to the error budget, and since quality watches it also carries
// `measurements`. The quality watch owns what a measurement is; capabilities/index.ts passes its
// intake in, so the error budget need not import the quality watch (nor the reverse), and a
// batch's counts and measurements still commit in one statement under one batch_id.
import type { Catalog } from '../config/catalog.ts';
import type { AppDeps } from '../deps.ts';
import type { MeasurementRow } from '../store/measurements.ts';

export type ParsedMeasurements =
  | { ok: true; count: number; rows: MeasurementRow[] }
  | { ok: false; field: string; message: string };

export interface MeasurementIntake {
  /** Pure: every reason to refuse names its field (`measurements[2].buckets`). */
  parse(raw: unknown, catalog: Catalog, now: Date): ParsedMeasurements;
  /** After a batch with measurements is committed: arms the watch evaluation. */
  accepted(deps: Pick<AppDeps, 'clock' | 'queue' | 'catalog'>): Promise<void>;
}
