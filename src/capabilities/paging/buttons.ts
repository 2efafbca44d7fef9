// The Acknowledge / Resolve / Escalate buttons on the incident message. The click is acked
// at once (Slack allows 3 s); the PagerDuty call happens as the person who clicked, and
// they alone see the outcome when it is not visible in the message itself.
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
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
  const result = await actOnIncident(deps, {
    incidentId: action.value ?? '',
    action: ACTIONS[action.action_id] ?? 'acknowledge',
    actor: { slackUserId: body.user.id },
    via: 'Slack',
  });
  // The outcome is plain text (the ack page shows it too), with names from PagerDuty in it.
  await respond({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(result.text) });
}
