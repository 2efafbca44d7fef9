// The Acknowledge / Resolve / Escalate buttons on the incident message. Acting in PagerDuty
// as the person who clicked needs the Slack → PagerDuty user mapping (issue #3); until then
// a click is acknowledged and answered honestly with where to act instead.
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { PagingDeps } from './deps.ts';

const ACTIONS = ['incident_acknowledge', 'incident_resolve', 'incident_escalate'] as const;

export function registerButtons(app: App, deps: PagingDeps): void {
  for (const action of ACTIONS) app.action<BlockButtonAction>(action, (args) => onIncidentButton(deps, args));
}

export async function onIncidentButton(
  deps: PagingDeps,
  { ack, respond, action }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const incident = await deps.db.incident.findUnique({ where: { id: action.value ?? '' } });
  const where = incident?.pdIncidentUrl ? `<${incident.pdIncidentUrl}|the PagerDuty incident>` : 'PagerDuty';
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: `Acknowledge, Resolve and Escalate from Slack are not switched on yet. For now, please act in ${where}.`,
  });
}
