// The POST /signals body: a client batch of quality counts per feature, kind and time. Pure:
// every reason to refuse comes back with the field that caused it, as alert intake does.
import { z } from 'zod';
import type { Catalog } from '../../config/catalog.ts';
import { bucketStart } from './math.ts';

export const MAX_SIGNALS_PER_BATCH = 1_000;
/** Client clocks run a little fast; more than this ahead is a bug on their side, not skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_COUNT = 1_000_000_000;

const count = (what: string) =>
  z
    .number({ error: `expected the number of ${what} events, a whole number` })
    .int({ error: `expected the number of ${what} events, a whole number` })
    .min(0, { error: `expected the number of ${what} events, 0 or more` })
    .max(MAX_COUNT, { error: `expected at most ${MAX_COUNT} ${what} events per signal` });

// Extra fields are ignored (not refused) so clients can send model names or versions now
// and Failsafe can use them later.
const SignalSchema = z.object({
  feature: z.string({ error: 'expected a feature key from the catalog' }).min(1),
  at: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time like 2026-11-23T10:00:00Z' }),
  good: count('good'),
  bad: count('bad'),
  kind: z
    .string({ error: 'expected a signal kind like eval or thumbs_down' })
    .regex(/^[a-z][a-z0-9_]{0,39}$/, { error: 'expected a signal kind of a-z, 0-9 and _ like eval' }),
});

const BatchSchema = z.object(
  {
    batch_id: z
      .string({ error: 'expected a client batch id (a string, unique per batch)' })
      .min(1, { error: 'expected a client batch id (a string, unique per batch)' })
      .max(200, { error: 'expected a batch id of at most 200 characters' }),
    signals: z
      .array(SignalSchema, { error: 'expected a list of signals' })
      .min(1, { error: 'expected at least one signal' })
      .max(MAX_SIGNALS_PER_BATCH, { error: `expected at most ${MAX_SIGNALS_PER_BATCH} signals per batch` })
      .optional(),
    // The quality watch's, checked by the parser it passes in (kernel/measurement-intake.ts).
    measurements: z.unknown().optional(),
  },
  { error: 'expected a JSON object with batch_id and signals or measurements' },
);

import type { MeasurementIntake } from '../../kernel/measurement-intake.ts';
import type { SignalBatch, SignalRow } from '../../store/signals.ts';

export type { SignalBatch, SignalRow };

export type ParsedBatch = { ok: true; batch: SignalBatch } | { ok: false; field: string; message: string };

/** `signals[0].feature`: how this route names a field, from a zod or storability path. */
export function signalField(path: readonly PropertyKey[]): string {
  const text = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return text || 'body';
}

export function parseSignalBatch(
  body: unknown,
  catalog: Catalog,
  now: Date,
  measurements?: MeasurementIntake['parse'],
): ParsedBatch {
  const parsed = BatchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    return { ok: false, field: signalField(issue.path), message: issue.message };
  }
  const signals = parsed.data.signals ?? [];
  const rawMeasurements = parsed.data.measurements;
  if (!parsed.data.signals && rawMeasurements === undefined)
    return { ok: false, field: 'signals', message: 'expected signals, measurements or both' };
  let measured: SignalBatch['measurements'];
  if (rawMeasurements !== undefined) {
    if (!measurements)
      return { ok: false, field: 'measurements', message: 'this Failsafe does not take measurements' };
    const result = measurements(rawMeasurements, catalog, now);
    if (!result.ok) return result;
    measured = { count: result.count, rows: result.rows };
  }
  const rows = new Map<string, SignalRow>();
  for (const [i, s] of signals.entries()) {
    const feature = catalog.features.find((f) => f.key === s.feature);
    if (!feature?.slo) {
      const known = catalog.features.filter((f) => f.slo).map((f) => f.key);
      const what = feature ? `"${s.feature}" has no slo in the catalog` : `unknown feature "${s.feature}"`;
      return {
        ok: false,
        field: `signals[${i}].feature`,
        message: `${what}; features with an error budget: ${known.join(', ') || 'none'}`,
      };
    }
    const at = Date.parse(s.at);
    if (at > now.getTime() + MAX_CLOCK_SKEW_MS) {
      return { ok: false, field: `signals[${i}].at`, message: 'is more than 5 minutes in the future' };
    }
    if (at <= now.getTime() - feature.slo.periodSeconds * 1000) {
      return { ok: false, field: `signals[${i}].at`, message: "is older than the feature's SLO period" };
    }
    const minute = new Date(bucketStart(at, 60)).toISOString();
    const key = `${s.feature}\0${minute}\0${s.kind}`;
    const row = rows.get(key);
    if (row) {
      row.good += s.good;
      row.bad += s.bad;
    } else {
      const hour = new Date(bucketStart(at, 3600)).toISOString();
      rows.set(key, { feature_key: s.feature, minute, hour, kind: s.kind, good: s.good, bad: s.bad });
    }
  }
  // Sorted, so concurrent batches update shared rows in one order and cannot deadlock.
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  return {
    ok: true,
    batch: {
      batchId: parsed.data.batch_id,
      signals: signals.length,
      rows: sorted,
      ...(measured ? { measurements: measured } : {}),
    },
  };
}
