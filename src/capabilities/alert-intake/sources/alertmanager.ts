// Prometheus Alertmanager webhook, payload version 4
// (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config); see
// test/contracts/alertmanager/ for real captures.
import { z } from 'zod';
import {
  alertsArray,
  httpUrl,
  isoDateTime,
  MAX_ALERTS_PER_PAYLOAD,
  type ParseOptions,
  type ParseResult,
  parseLabelledPayload,
  stringMap,
} from './shared.ts';

export const alertStatusSchema = z.enum(['firing', 'resolved']);

export const alertmanagerAlertSchema = z.object({
  status: alertStatusSchema,
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: isoDateTime,
  // Alertmanager always sends endsAt; other senders of this shape sometimes omit it.
  endsAt: isoDateTime.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().max(255).optional(),
});

// Fields Failsafe does not act on are optional: rejecting a page over a missing groupKey helps nobody.
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: alertStatusSchema,
  receiver: z.string().optional(),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().optional(),
  alerts: alertsArray(alertmanagerAlertSchema, MAX_ALERTS_PER_PAYLOAD),
});

export type AlertmanagerPayload = z.output<typeof alertmanagerPayloadSchema>;

export function parseAlertmanager(body: unknown, opts: ParseOptions): ParseResult {
  return parseLabelledPayload('alertmanager', alertmanagerPayloadSchema, body, opts, (alert) =>
    httpUrl(alert.generatorURL),
  );
}
