// The Acknowledge / Resolve / Escalate buttons on the incident message. The click is acked
// at once (Slack allows 3 s); the PagerDuty call happens as the person who clicked, and
// they alone see the outcome when it is not visible in the message itself.
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { mayDo, refusal } from '../../kernel/permissions.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident } from '../../store/incidents.ts';
import { actOnIncident, type IncidentAction } from './actions.ts';
import type { PagingDeps } from './deps.ts';

const ACTIONS: Record<string, IncidentAction> = {
  incident_acknowledge: 'acknowledge',
  incident_resolve: 'resolve',
  incident_escalate: 'escalate',
};

export function registerButtons(app: App, deps: PagingDeps): void {
  for (const actionId of Object.keys(ACTIONS)) {
    app.action<BlockButtonAction>(actionId, (args) => onIncidentButton(deps, args));
  }
}

export async function onIncidentButton(
  deps: PagingDeps,
  { ack, respond, action, body }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const { incidentId, seenLevel } = parseButtonValue(action.value ?? '');
  if (!z.uuid().safeParse(incidentId).success) {
    const text = 'This button is not on a Failsafe incident message, so nothing was changed.';
    await respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  const refused = await refusalFor(deps, incidentId, body.user.id);
  if (refused) {
    await respond({ response_type: 'ephemeral', replace_original: false, text: refused });
    return;
  }
  const result = await actOnIncident(deps, {
    incidentId,
    action: ACTIONS[action.action_id] ?? 'acknowledge',
    actor: { slackUserId: body.user.id },
    via: 'Slack',
    ...(seenLevel === undefined ? {} : { seenLevel }),
  });
  // The outcome is plain text (the ack page shows it too), with names from PagerDuty in it.
  await respond({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(result.text) });
}

/** The buttons are in the alerts channel for everyone there to see; acting needs the right. */
async function refusalFor(deps: PagingDeps, incidentId: string, userId: string): Promise<string | null> {
  const incident = await findIncident(deps.db, incidentId);
  const feature = incident ? deps.catalog.featureByKey(incident.featureKey) : null;
  if (!incident || !feature) return null; // actOnIncident says what is missing
  const permission = await mayDo(deps, 'page_action', { feature, incident }, userId);
  return permission.allowed ? null : refusal('page_action', feature, permission);
}

/**
 * A button's value: the incident id, and for Escalate the level the message showed
 * (`<id>@<level>`; messages posted before the level was added carry the id alone).
 */
export function parseButtonValue(value: string): { incidentId: string; seenLevel?: number } {
  const match = /^([^@]+)@(\d{1,4})$/.exec(value);
  return match ? { incidentId: match[1] as string, seenLevel: Number(match[2]) } : { incidentId: value };
}
