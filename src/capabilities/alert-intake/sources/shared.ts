import { createHash } from 'node:crypto';
import { z } from 'zod';
import { safeHttpUrl } from '../../../kernel/slack-text.ts';
import type { AlertSource, AlertStatus, NormalisedAlert, Severity } from '../types.ts';

export type ParseResult =
  | { ok: true; alerts: NormalisedAlert[] }
  | { ok: false; field: string; message: string };

export interface ParseOptions {
  /** Label naming the AI feature an alert is about (default in config: `ai_feature`). */
  featureLabel: string;
  /** Stands in for a missing start time (generic payloads); injectable so parsing stays pure in tests. */
  now?: Date;
}

/** A single webhook may carry a whole alert storm, but never more than this. */
export const MAX_ALERTS_PER_PAYLOAD = 1_000;
export const MAX_SUMMARY_CHARS = 500;
/** Field name reported when the body itself is wrong (not an object, not JSON we understand). */
export const ROOT_FIELD = '(body)';

// Alertmanager and Grafana only ever send string label values; anything else is not their payload.
export const stringMap = z.record(z.string(), z.string());

export const isoDateTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time' });

const SEVERITY_ALIASES: Record<string, Severity> = {
  critical: 'critical',
  page: 'critical',
  p1: 'critical',
  sev1: 'critical',
  error: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  info: 'info',
  low: 'info',
  none: 'info',
};

/** Teams spell severity many ways; an unknown spelling still deserves attention, so it becomes a warning. */
export function mapSeverity(raw: string | undefined): Severity {
  if (raw === undefined) return 'warning';
  return SEVERITY_ALIASES[raw.trim().toLowerCase()] ?? 'warning';
}

/** Go's zero time (`0001-01-01T00:00:00Z`) is how Alertmanager and Grafana say "no end yet". */
export function endDate(raw: string | null | undefined): Date | null {
  if (raw === undefined || raw === null) return null;
  const date = new Date(raw);
  return date.getUTCFullYear() <= 1 ? null : date;
}

export function truncateSummary(text: string): string {
  // Count code points so an emoji is never cut in half.
  const chars = Array.from(text);
  return chars.length <= MAX_SUMMARY_CHARS ? text : `${chars.slice(0, MAX_SUMMARY_CHARS - 1).join('')}…`;
}

/** Trims keys and values; an empty value carries no information, so it is dropped. */
export function cleanMap(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    const k = key.trim();
    const v = value.trim();
    if (k !== '' && v !== '') out[k] = v;
  }
  return out;
}

/** The alert's own values win over the group's common ones. */
export function mergeMaps(
  common: Record<string, string>,
  own: Record<string, string>,
): Record<string, string> {
  return { ...cleanMap(common), ...cleanMap(own) };
}

/** Stable identity for senders that give none: the same label set always hashes the same. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

export function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/**
 * A link from the sender, kept only when it is an absolute http(s) URL: anything else
 * (`javascript:`, `data:`, a relative path, garbage) is dropped, never the alert with it.
 */
export function httpUrl(value: string | null | undefined): string | null {
  const url = nonEmpty(value);
  return url !== null && safeHttpUrl(url) !== null ? url : null;
}

export interface LabelledAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null | undefined;
  fingerprint: string | null | undefined;
  generatorUrl: string | null;
}

/** Normalises an Alertmanager-style alert (Alertmanager and Grafana share the shape). */
export function normaliseLabelled(
  source: AlertSource,
  alert: LabelledAlert,
  featureLabel: string,
): NormalisedAlert {
  const { labels, annotations } = alert;
  const fingerprint = nonEmpty(alert.fingerprint) ?? labelsFingerprint(labels);
  const description = annotations.description ?? null;
  const summary = annotations.summary ?? description ?? labels.alertname ?? `Alert ${fingerprint}`;
  return {
    source,
    fingerprint,
    status: alert.status,
    feature: labels[featureLabel] ?? null,
    severity: mapSeverity(labels.severity),
    summary: truncateSummary(summary),
    // Repeating the description that already serves as the summary would only add noise.
    description: description === summary ? null : description,
    labels,
    annotations,
    startsAt: new Date(alert.startsAt),
    // A firing alert's endsAt is at most the sender's expiry guess, never a real end.
    endsAt: alert.status === 'firing' ? null : endDate(alert.endsAt),
    generatorUrl: alert.generatorUrl,
  };
}

/** One alert of an Alertmanager-shaped webhook, as its schema parsed it. */
export interface LabelledWebhookAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string | undefined;
  fingerprint?: string | undefined;
}

/** An Alertmanager-shaped webhook payload: a group's common labels and annotations, then its alerts. */
export interface LabelledWebhookPayload<A extends LabelledWebhookAlert> {
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: A[];
}

/**
 * Parses an Alertmanager-shaped payload (Alertmanager's own, or Grafana's) and normalises each alert,
 * its own labels and annotations winning over the group's. `link` picks the alert's generator URL.
 */
export function parseLabelledPayload<A extends LabelledWebhookAlert>(
  source: AlertSource,
  schema: z.ZodType<LabelledWebhookPayload<A>, unknown>,
  body: unknown,
  opts: ParseOptions,
  link: (alert: A) => string | null,
): ParseResult {
  const parsed = parseWith(schema, body);
  if (!parsed.ok) return parsed;
  const { commonLabels, commonAnnotations, alerts } = parsed.data;
  return {
    ok: true,
    alerts: alerts.map((alert) =>
      normaliseLabelled(
        source,
        {
          status: alert.status,
          labels: mergeMaps(commonLabels, alert.labels),
          annotations: mergeMaps(commonAnnotations, alert.annotations),
          startsAt: alert.startsAt,
          endsAt: alert.endsAt,
          fingerprint: alert.fingerprint,
          generatorUrl: link(alert),
        },
        opts.featureLabel,
      ),
    ),
  };
}

/** Parses with plain-words messages; on failure reports the first offending field as a dotted path. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { ok: true; data: z.output<T> } | { ok: false; field: string; message: string } {
  const result = schema.safeParse(body, { error: plainMessage });
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  if (issue === undefined) return { ok: false, field: ROOT_FIELD, message: 'invalid payload' };
  const field = issue.path.length === 0 ? ROOT_FIELD : issue.path.map(String).join('.');
  return { ok: false, field, message: issue.message };
}

// A per-parse error map: schema-level `error` messages still take precedence over it.
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = `expected ${article(issue.expected)} ${issue.expected}`;
      return issue.input === undefined ? `is required (${expected})` : expected;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_big':
      return `expected at most ${count(Number(issue.maximum), issue.origin)}`;
    case 'too_small':
      return `expected at least ${count(Number(issue.minimum), issue.origin)}`;
    default:
      return undefined;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function count(n: number, origin: string): string {
  const noun = origin === 'string' ? 'character' : origin === 'array' ? 'item' : '';
  return noun === '' ? String(n) : `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The `alerts` array of any source: named limits read better than "items". */
export function alertsArray<T extends z.ZodType>(alert: T, max: number) {
  return z
    .array(alert)
    .min(1, { error: 'expected at least 1 alert' })
    .max(max, { error: `expected at most ${max} alerts` });
}
