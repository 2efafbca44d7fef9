// Failsafe's own alert shape, for senders that are neither Alertmanager nor Grafana (cron jobs,
// eval pipelines, scripts). Field names follow PagerDuty Events v2 where they overlap (dedup_key,
// severity values) so existing integrations map over with little change.
import { z } from 'zod';
import type { NormalisedAlert } from '../types.ts';
import { alertStatusSchema } from './alertmanager.ts';
import {
  alertsArray,
  cleanMap,
  endDate,
  isoDateTime,
  nonEmpty,
  type ParseOptions,
  type ParseResult,
  parseWith,
  stringMap,
  truncateSummary,
} from './shared.ts';

export const MAX_GENERIC_BATCH = 100;

const stableId = z.string().trim().min(1).max(255);

export const genericAlertSchema = z
  .object({
    // Over-long summaries are truncated later rather than rejected: the page matters more than the prose.
    summary: z.string().trim().min(1, { error: 'expected a non-empty summary' }),
    severity: z.enum(['critical', 'error', 'warning', 'info']).default('warning'),
    feature: z.string().optional(),
    status: alertStatusSchema.default('firing'),
    fingerprint: stableId.optional(),
    dedup_key: stableId.optional(),
    description: z.string().optional(),
    labels: stringMap.default({}),
    links: z
      .array(
        z.object({
          href: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
          text: z.string().optional(),
        }),
      )
      .max(20)
      .default([]),
    starts_at: isoDateTime.optional(),
    ends_at: isoDateTime.nullish(),
  })
  // Without a stable id every repeat would open a new incident, so one of the two is required.
  .refine((alert) => alert.fingerprint !== undefined || alert.dedup_key !== undefined, {
    path: ['fingerprint'],
    error: 'expected fingerprint or dedup_key (a stable id for this alert, at most 255 characters)',
  });

export const genericBatchSchema = z.object({
  alerts: alertsArray(genericAlertSchema, MAX_GENERIC_BATCH),
});

export type GenericAlert = z.output<typeof genericAlertSchema>;

export function parseGeneric(body: unknown, opts: ParseOptions): ParseResult {
  const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'alerts' in body;
  const parsed = isBatch ? parseWith(genericBatchSchema, body) : parseWith(genericAlertSchema, body);
  if (!parsed.ok) return parsed;
  const alerts = 'alerts' in parsed.data ? parsed.data.alerts : [parsed.data];
  const now = opts.now ?? new Date();
  return { ok: true, alerts: alerts.map((alert) => normaliseGeneric(alert, opts.featureLabel, now)) };
}

function normaliseGeneric(alert: GenericAlert, featureLabel: string, now: Date): NormalisedAlert {
  const labels = cleanMap(alert.labels);
  // The refine above guarantees one of them; the fallback only satisfies the type checker.
  const fingerprint = alert.fingerprint ?? alert.dedup_key ?? '';
  return {
    source: 'generic',
    fingerprint,
    status: alert.status,
    feature: nonEmpty(alert.feature) ?? labels[featureLabel] ?? null,
    severity: alert.severity,
    summary: truncateSummary(alert.summary),
    description: nonEmpty(alert.description),
    labels,
    annotations: {},
    startsAt: alert.starts_at === undefined ? now : new Date(alert.starts_at),
    endsAt: alert.status === 'firing' ? null : endDate(alert.ends_at),
    generatorUrl: alert.links[0]?.href ?? null,
  };
}
