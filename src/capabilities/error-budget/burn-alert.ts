// A burn-rate alert takes the road a monitoring alert takes: a normalised alert (source
// 'error-budget', one fingerprint per feature and rule) through failsafe_ingest, so it opens or
// joins the feature's incident, pages once and names the person; 'resolved' closes it the same way.
import type { Feature } from '../../config/catalog.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident } from '../../store/incidents.ts';
import { storeAlerts } from '../../store/ingest.ts';
import type { AlertStatus, NormalisedAlert, Severity } from '../alert-intake/index.ts';
import { requestRefresh } from '../paging/index.ts';
import type { BudgetDeps } from './deps.ts';
import { queueBudgetNotice } from './notice.ts';

export interface BurnAlertInput {
  feature: Feature;
  /** "1h/5m", or "budget" for an exhausted budget. */
  rule: string;
  status: AlertStatus;
  severity: Severity;
  summary: string;
  description: string;
  /** The numbers behind it, kept with the stored payload. */
  numbers: Record<string, number | string>;
}

export function burnFingerprint(featureKey: string, rule: string): string {
  return `error-budget:${featureKey}:${rule}`;
}

export function burnAlert(deps: BudgetDeps, input: BurnAlertInput, now: Date): NormalisedAlert {
  const label = deps.catalog.catalog.defaults.featureLabel;
  return {
    source: 'error-budget',
    fingerprint: burnFingerprint(input.feature.key, input.rule),
    status: input.status,
    feature: input.feature.key,
    severity: input.severity,
    summary: input.summary,
    description: input.description,
    labels: { [label]: input.feature.key, slo_rule: input.rule },
    annotations: {},
    startsAt: now,
    endsAt: input.status === 'resolved' ? now : null,
    generatorUrl: null,
  };
}

/** Stores the alert and, like alert intake, pages for a new incident or refreshes a joined one. */
export async function sendBurnAlert(
  deps: BudgetDeps,
  input: BurnAlertInput,
  now: Date,
): Promise<string | null> {
  const alert = burnAlert(deps, input, now);
  const result = await storeAlerts(
    deps.db,
    {
      kind: 'error-budget',
      requestId: `${alert.fingerprint}:${input.status}:${now.toISOString()}`,
      body: { ...input.numbers, rule: input.rule, status: input.status, summary: input.summary },
      alerts: [alert],
    },
    () => ({ featureKey: input.feature.key, autoResolve: input.feature.autoResolve }),
  );
  for (const id of result.opened) await deps.queue.enqueue('page', id, { incidentId: id }, { inline: true });
  for (const id of result.touched) await requestRefresh(deps, id);
  const outcome = result.outcomes[0];
  if (outcome?.outcome === 'joined' && outcome.incidentId)
    await sayJoined(deps, outcome.incidentId, input, now);
  return outcome?.incidentId ?? null;
}

/**
 * A burn alert that joins an open incident pages nobody (the incident already did), so without
 * this line its numbers would only be in the stored payload. Said once per firing episode: the
 * evaluation calls here only when the rule starts firing.
 */
async function sayJoined(deps: BudgetDeps, incidentId: string, input: BurnAlertInput, now: Date) {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) return;
  const where =
    incident.slackChannel && incident.slackTs
      ? { channel: incident.slackChannel, threadTs: incident.slackTs }
      : { channel: input.feature.slack.alertsChannel };
  const rule = input.rule === 'budget' ? 'the exhausted budget' : `the ${input.rule} burn rule`;
  await queueBudgetNotice(deps, `budget-joined:${incidentId}:${input.rule}:${now.toISOString()}`, {
    ...where,
    text: `:chart_with_upwards_trend: Error budget: ${rule} joined incident #${incident.number}. ${escapeMrkdwn(input.summary)}`,
  });
}
