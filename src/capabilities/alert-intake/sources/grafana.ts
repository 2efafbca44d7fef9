// Grafana unified alerting (Grafana 9+) webhook contact point, payload version "1", as documented in
// https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
// It is Alertmanager's template data plus Grafana extras, so it normalises the same way.
import { z } from 'zod';
import { alertmanagerAlertSchema, alertStatusSchema } from './alertmanager.ts';
import {
  alertsArray,
  httpUrl,
  MAX_ALERTS_PER_PAYLOAD,
  type ParseOptions,
  type ParseResult,
  parseLabelledPayload,
  stringMap,
} from './shared.ts';

export const grafanaAlertSchema = alertmanagerAlertSchema.extend({
  silenceURL: z.string().optional(),
  // Grafana marks these two "will be deprecated soon"; they are only a fallback link.
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  // Query results that triggered the alert; shown by Grafana, not used by Failsafe, so not constrained.
  values: z.record(z.string(), z.unknown()).nullish(),
  valueString: z.string().optional(),
});

export const grafanaPayloadSchema = z.object({
  version: z.literal('1'),
  receiver: z.string().optional(),
  status: alertStatusSchema,
  orgId: z.number().int().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().optional(),
  // Deprecated by Grafana (title/state/message): accepted, never relied on.
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  alerts: alertsArray(grafanaAlertSchema, MAX_ALERTS_PER_PAYLOAD),
});

export type GrafanaPayload = z.output<typeof grafanaPayloadSchema>;

export function parseGrafana(body: unknown, opts: ParseOptions): ParseResult {
  return parseLabelledPayload(
    'grafana',
    grafanaPayloadSchema,
    body,
    opts,
    // Grafana's panel and dashboard links stand in when the alert has no generator URL.
    (alert) => httpUrl(alert.generatorURL) ?? httpUrl(alert.panelURL) ?? httpUrl(alert.dashboardURL),
  );
}
