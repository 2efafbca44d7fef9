// The `measurements` of a POST /signals body: one observation (`value`) or a summary (`count`,
// `sum`, optional `min`/`max` and histogram `buckets`), with at most 5 replay links. Pure: each
// reason to refuse names the field, and the result is summed per feature, metric and minute.
import { z } from 'zod';
import type { Catalog } from '../../config/catalog.ts';
import type { ParsedMeasurements } from '../../kernel/measurement-intake.ts';
import { safeHttpUrl } from '../../kernel/slack-text.ts';
import type { MeasurementRow, ReplayLink } from '../../store/measurements.ts';

export const MAX_MEASUREMENTS_PER_BATCH = 1_000;
export const MAX_BUCKETS = 64;
export const MAX_EXAMPLES = 5;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_COUNT = 1_000_000_000;

const finite = (what: string) =>
  z
    .number({ error: `expected ${what}, a number` })
    .refine(Number.isFinite, { error: `expected ${what}, a finite number` });

const ExampleSchema = z.strictObject(
  {
    url: z
      .string({ error: 'expected an http or https URL' })
      .max(2_000, { error: 'expected a URL of at most 2000 characters' })
      .refine((u) => safeHttpUrl(u) !== null, {
        error: 'expected an absolute http or https URL without credentials',
      }),
    label: z
      .string({ error: 'expected a short label saying what the link shows' })
      .trim()
      .min(1, { error: 'expected a short label saying what the link shows' })
      .max(200, { error: 'expected a label of at most 200 characters' }),
  },
  { error: 'expected { url, label }' },
);

/** "+Inf" for the open top bucket; any other bound a finite number. */
function bucketBound(key: string): string | null {
  if (/^\+?inf(inity)?$/i.test(key.trim())) return '+Inf';
  const n = Number(key);
  return key.trim() !== '' && Number.isFinite(n) ? String(n) : null;
}

// Extra fields are ignored (not refused), as for signals: clients may send model versions.
const MeasurementSchema = z.object({
  feature: z.string({ error: 'expected a feature key from the catalog' }).min(1),
  at: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time like 2026-12-02T10:04:00Z' }),
  metric: z
    .string({ error: 'expected a metric name like handoff_rate' })
    .regex(/^[a-z][a-z0-9_]{0,39}$/, { error: 'expected a metric name of a-z, 0-9 and _ like handoff_rate' }),
  value: finite('one observation').optional(),
  count: z
    .number({ error: 'expected the number of observations summarised, a whole number' })
    .int({ error: 'expected the number of observations summarised, a whole number' })
    .min(1, { error: 'expected at least 1 observation' })
    .max(MAX_COUNT, { error: `expected at most ${MAX_COUNT} observations` })
    .optional(),
  sum: finite('the sum of the observations').optional(),
  min: finite('the smallest observation').optional(),
  max: finite('the largest observation').optional(),
  buckets: z
    .record(
      z.string(),
      z
        .number({ error: 'expected a count of observations, a whole number' })
        .int({ error: 'expected a count of observations, a whole number' })
        .min(0, { error: 'expected a count of observations, 0 or more' }),
      { error: 'expected a mapping of upper bound to count, like { "0.5": 40, "1": 240 }' },
    )
    .optional(),
  examples: z
    .array(ExampleSchema, { error: 'expected a list of { url, label }' })
    .max(MAX_EXAMPLES, { error: `expected at most ${MAX_EXAMPLES} examples` })
    .optional(),
});

const ListSchema = z
  .array(z.unknown(), { error: 'expected a list of measurements' })
  .min(1, { error: 'expected at least one measurement' })
  .max(MAX_MEASUREMENTS_PER_BATCH, {
    error: `expected at most ${MAX_MEASUREMENTS_PER_BATCH} measurements per batch`,
  });

type Measurement = z.infer<typeof MeasurementSchema>;
type Refusal = { field: string; message: string };

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

/** The summary a measurement stands for, or what is wrong with it (field relative to it). */
function summarise(
  m: Measurement,
): Refusal | Pick<MeasurementRow, 'count' | 'sum' | 'min' | 'max' | 'buckets'> {
  if (m.value !== undefined) {
    for (const field of ['count', 'sum', 'min', 'max', 'buckets'] as const)
      if (m[field] !== undefined)
        return {
          field: `.${field}`,
          message: 'expected either value (one observation) or a summary, not both',
        };
    return { count: 1, sum: m.value, min: m.value, max: m.value, buckets: null };
  }
  if (m.count === undefined) return { field: '.value', message: 'expected value, or count and sum' };
  if (m.sum === undefined)
    return { field: '.sum', message: 'expected the sum of the observations with count' };
  if (m.min !== undefined && m.max !== undefined && m.min > m.max)
    return { field: '.min', message: 'expected min to be at most max' };
  const mean = m.sum / m.count;
  const slack = 1e-9 * Math.max(1, Math.abs(mean));
  if (m.min !== undefined && mean < m.min - slack)
    return { field: '.sum', message: 'gives a mean below min' };
  if (m.max !== undefined && mean > m.max + slack)
    return { field: '.sum', message: 'gives a mean above max' };
  let buckets: Record<string, number> | null = null;
  if (m.buckets) {
    const entries = Object.entries(m.buckets);
    if (entries.length === 0) return { field: '.buckets', message: 'expected at least one bucket' };
    if (entries.length > MAX_BUCKETS)
      return { field: '.buckets', message: `expected at most ${MAX_BUCKETS} buckets` };
    buckets = {};
    let total = 0;
    for (const [key, n] of entries) {
      const bound = bucketBound(key);
      if (bound === null)
        return { field: `.buckets.${key}`, message: 'expected an upper bound, a number like 0.5 or +Inf' };
      buckets[bound] = (buckets[bound] ?? 0) + n;
      total += n;
    }
    if (total !== m.count)
      return {
        field: '.buckets',
        message: `expected bucket counts adding up to count (${m.count}), got ${total}`,
      };
  }
  return { count: m.count, sum: m.sum, min: m.min ?? null, max: m.max ?? null, buckets };
}

function merge(row: MeasurementRow, add: MeasurementRow): void {
  row.count += add.count;
  row.sum += add.sum;
  row.min = add.min === null ? row.min : row.min === null ? add.min : Math.min(row.min, add.min);
  row.max = add.max === null ? row.max : row.max === null ? add.max : Math.max(row.max, add.max);
  if (add.buckets) {
    row.buckets ??= {};
    for (const [bound, n] of Object.entries(add.buckets)) row.buckets[bound] = (row.buckets[bound] ?? 0) + n;
  }
  // Newest first, as the store keeps them.
  row.examples = [...add.examples, ...row.examples];
}

export function parseMeasurements(raw: unknown, catalog: Catalog, now: Date): ParsedMeasurements {
  const list = ListSchema.safeParse(raw);
  if (!list.success)
    return { ok: false, field: 'measurements', message: list.error.issues[0]?.message ?? 'invalid' };
  const rows = new Map<string, MeasurementRow>();
  for (const [i, item] of list.data.entries()) {
    const at = `measurements[${i}]`;
    const parsed = MeasurementSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0] as z.core.$ZodIssue;
      if (issue.path.length === 0) return { ok: false, field: at, message: 'expected a measurement object' };
      return { ok: false, field: `${at}${pathText(issue.path)}`, message: issue.message };
    }
    const m = parsed.data;
    const feature = catalog.features.find((f) => f.key === m.feature);
    if (!feature?.watches.length) {
      const known = catalog.features.filter((f) => f.watches.length).map((f) => f.key);
      const what = feature ? `"${m.feature}" has no watch in the catalog` : `unknown feature "${m.feature}"`;
      return {
        ok: false,
        field: `${at}.feature`,
        message: `${what}; features with watches: ${known.join(', ') || 'none'}`,
      };
    }
    const watch = feature.watches.find((w) => w.metric === m.metric);
    if (!watch)
      return {
        ok: false,
        field: `${at}.metric`,
        message: `"${m.metric}" is not watched for ${feature.key}; watched: ${feature.watches.map((w) => w.metric).join(', ')}`,
      };
    const atMs = Date.parse(m.at);
    if (atMs > now.getTime() + MAX_CLOCK_SKEW_MS)
      return { ok: false, field: `${at}.at`, message: 'is more than 5 minutes in the future' };
    const keepS = watch.kind === 'fixed' ? catalog.defaults.watch.baselineSeconds : watch.baselineSeconds;
    if (atMs <= now.getTime() - keepS * 1000)
      return { ok: false, field: `${at}.at`, message: "is older than the watch's baseline" };
    const summary = summarise(m);
    if ('field' in summary) return { ok: false, field: `${at}${summary.field}`, message: summary.message };
    if (watch.kind === 'drift' && !summary.buckets)
      return {
        ok: false,
        field: `${at}.buckets`,
        message: `required: ${m.metric} is watched for drift, which compares histograms`,
      };
    const minute = new Date(Math.floor(atMs / 60_000) * 60_000).toISOString();
    const hour = new Date(Math.floor(atMs / 3_600_000) * 3_600_000).toISOString();
    const examples: ReplayLink[] = (m.examples ?? []).map((e) => ({ url: e.url.trim(), label: e.label }));
    const row: MeasurementRow = {
      feature_key: m.feature,
      metric: m.metric,
      minute,
      hour,
      ...summary,
      examples,
    };
    const key = `${m.feature}\0${m.metric}\0${minute}`;
    const seen = rows.get(key);
    if (seen) merge(seen, row);
    else rows.set(key, row);
  }
  // Sorted, so concurrent batches update shared rows in one order and cannot deadlock.
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  for (const r of sorted) r.examples = r.examples.slice(0, MAX_EXAMPLES);
  return { ok: true, count: list.data.length, rows: sorted };
}
