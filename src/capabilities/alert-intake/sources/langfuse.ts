// Langfuse automations' webhook (apiVersion v1), as its worker sends it
// (worker/src/queues/webhooks.ts and packages/shared/src/features/monitors/, langfuse/langfuse@6275144;
// a capture is in test/contracts/langfuse/). Every body is an envelope { id, timestamp, type,
// apiVersion }; only `monitor-alert` is about the AI's behaviour. Its severity moves through
// OK / WARNING / ALERT / NO_DATA and Langfuse sends one event per change (and per renotify),
// so WARNING, ALERT and NO_DATA fire and OK is the recovery. `prompt-version` (a prompt was
// created, relabelled or deleted), `project-notification` (an export or evaluator failed) and
// any type added later are kept as a payload and acknowledged, never paged: an endpoint that
// answered them 4xx would be disabled by Langfuse after five failures, monitors included.
import { z } from 'zod';
import type { NormalisedAlert, Severity } from '../types.ts';
import {
  httpUrl,
  isoDateTime,
  type ParseOptions,
  type ParseResult,
  parseWith,
  truncateSummary,
} from './shared.ts';

const text = z.string().trim().min(1, { error: 'expected a non-empty string' });

export const langfuseEnvelopeSchema = z.object({
  id: text.max(255),
  timestamp: isoDateTime,
  type: text.max(100),
  apiVersion: z.string(),
});

// Langfuse's filter shapes are many and grow; only `column`, `key`, `operator` and `value` are read.
const filterSchema = z.looseObject({
  column: z.string().optional(),
  key: z.string().optional(),
  operator: z.string().optional(),
  value: z.unknown().optional(),
});

export const LANGFUSE_SEVERITIES = ['PAUSED', 'UNKNOWN', 'NO_DATA', 'OK', 'WARNING', 'ALERT'] as const;

export const monitorAlertSchema = langfuseEnvelopeSchema.extend({
  type: z.literal('monitor-alert'),
  apiVersion: z.literal('v1'),
  payload: z.object({
    monitorId: text.max(200),
    projectId: text.max(200),
    // Absent when the Langfuse server has no NEXTAUTH_URL; a link that is not http(s) is dropped.
    permalink: z.string().optional(),
    dataPermalink: z.string().optional(),
    message: z.object({ title: text, body: z.string() }),
    severity: z.enum(LANGFUSE_SEVERITIES),
    timestamp: isoDateTime,
    fromTimestamp: isoDateTime.optional(),
    toTimestamp: isoDateTime.optional(),
    view: z.string().optional(),
    filters: z.array(filterSchema).max(100).default([]),
    window: z.string().optional(),
  }),
});

export type MonitorAlert = z.output<typeof monitorAlertSchema>;

export type LangfuseParse = ParseResult | { ok: true; alerts: []; ignored: string };

const FIRING: Partial<Record<MonitorAlert['payload']['severity'], Severity>> = {
  ALERT: 'critical',
  WARNING: 'warning',
  NO_DATA: 'warning',
};

export function parseLangfuse(body: unknown, opts: ParseOptions): LangfuseParse {
  const envelope = parseWith(langfuseEnvelopeSchema, body);
  if (!envelope.ok) return envelope;
  if (envelope.data.type !== 'monitor-alert') return { ok: true, alerts: [], ignored: envelope.data.type };
  const parsed = parseWith(monitorAlertSchema, body);
  if (!parsed.ok) return parsed;
  const { severity } = parsed.data.payload;
  // PAUSED and UNKNOWN say nothing about the AI: neither a breach nor a recovery.
  if (severity !== 'OK' && FIRING[severity] === undefined)
    return { ok: true, alerts: [], ignored: `monitor-alert ${severity}` };
  return { ok: true, alerts: [normaliseMonitorAlert(parsed.data, opts.featureLabel)] };
}

function normaliseMonitorAlert(event: MonitorAlert, featureLabel: string): NormalisedAlert {
  const p = event.payload;
  const labels: Record<string, string> = {
    ...filterLabels(p.filters, featureLabel),
    langfuse_monitor_id: p.monitorId,
    langfuse_project_id: p.projectId,
    langfuse_severity: p.severity,
    ...(p.view ? { langfuse_view: p.view } : {}),
    ...(p.window ? { langfuse_window: p.window } : {}),
  };
  const permalink = httpUrl(p.permalink);
  const dataPermalink = httpUrl(p.dataPermalink);
  const body = p.message.body.trim();
  const at = new Date(p.timestamp);
  return {
    source: 'langfuse',
    // One monitor is one alert: WARNING → ALERT is a repeat of it, OK resolves it.
    fingerprint: `langfuse/${p.projectId}/${p.monitorId}`,
    status: p.severity === 'OK' ? 'resolved' : 'firing',
    feature: null,
    severity: FIRING[p.severity] ?? 'info',
    summary: truncateSummary(p.message.title),
    description: body === '' ? null : body,
    labels,
    annotations: {
      summary: p.message.title,
      ...(body === '' ? {} : { description: body }),
      ...(permalink ? { permalink } : {}),
      ...(dataPermalink ? { data_permalink: dataPermalink } : {}),
      langfuse_event_id: event.id,
    },
    startsAt: at,
    endsAt: p.severity === 'OK' ? at : null,
    // The monitor's page is the replay link the incident message shows; else the breaching window.
    generatorUrl: permalink ?? dataPermalink,
  };
}

/**
 * The monitor's equality filters as labels, so alert_match can route on what the monitor
 * watches: `traceName = support-bot` → `langfuse_traceName: support-bot`, `metadata.ai_feature`
 * = x → `langfuse_metadata_ai_feature: x`, `tags any of [x]` → `langfuse_tags: x`. A filter on
 * the catalog's feature label itself (metadata key `ai_feature`, say) also sets that label.
 */
export function filterLabels(
  filters: MonitorAlert['payload']['filters'],
  featureLabel: string,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const f of filters) {
    const value = singleValue(f.operator, f.value);
    if (value === null || !f.column) continue;
    const name = `langfuse_${[f.column, f.key].filter(Boolean).join('_')}`.replace(/[^A-Za-z0-9_]/g, '_');
    labels[name] = value;
    if (f.key === featureLabel || (f.key === undefined && f.column === featureLabel))
      labels[featureLabel] = value;
  }
  return labels;
}

function singleValue(operator: string | undefined, value: unknown): string | null {
  if (operator === '=' && typeof value === 'string') return value.trim() || null;
  if (operator === 'any of' && Array.isArray(value) && value.length === 1 && typeof value[0] === 'string')
    return value[0].trim() || null;
  return null;
}
