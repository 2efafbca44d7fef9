// `/ai-update [text]`: works out the feature and incident (the incident channel's, or the
// named feature's open one), then opens the modal prefilled from what Failsafe knows.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { mayDo, refusal } from '../../kernel/permissions.ts';
import { parseUpdateCommand, USAGE, whichFeature } from './command.ts';
import type { UpdateDeps } from './deps.ts';
import { incidentOfChannel, openIncidentOf, prefill } from './facts.ts';
import { updateModal } from './modal.ts';

export interface UpdateAsker {
  userId: string;
  channelId: string;
  triggerId: string;
}

export async function onUpdateCommand(
  deps: UpdateDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const asker = { userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id };
  // A failure here reaches the app's error handler, which tells the user plainly.
  const text = await openUpdateForm(deps, command.text ?? '', asker);
  if (text) await respond({ response_type: 'ephemeral', text });
}

/** Opens the modal; returns the ephemeral reply when it cannot (what to type instead). */
export async function openUpdateForm(
  deps: UpdateDeps,
  input: string,
  asker: UpdateAsker,
): Promise<string | null> {
  const cmd = parseUpdateCommand(input, (key) => deps.catalog.featureByKey(key) !== null);
  if (cmd.kind === 'help') return USAGE;
  const target = await targetOf(deps, cmd.featureKey, asker.channelId);
  if (!target) {
    const keys = deps.catalog.catalog.features.map((f) => f.key);
    return whichFeature(cmd.firstWord, keys);
  }
  const { feature, incident } = target;
  const permission = await mayDo(deps, 'update', { feature, incident }, asker.userId);
  if (!permission.allowed) return refusal('update', feature, permission);
  const fields = await prefill(deps, feature, incident, cmd.text);
  const meta = {
    feature: feature.key,
    incidentId: incident?.id ?? null,
    user: asker.userId,
    channel: asker.channelId,
  };
  const facts = {
    feature,
    incident: incident
      ? { number: incident.number, title: incident.title, channelId: incident.channelId }
      : null,
    ...fields,
  };
  await deps.slack.openView(asker.triggerId, updateModal(facts, meta));
  return null;
}

/**
 * A named feature wins, with this channel's incident when it is that feature's, else the
 * feature's open incident (or none). Without one, the channel must be an incident channel.
 */
async function targetOf(
  deps: UpdateDeps,
  featureKey: string | null,
  channelId: string,
): Promise<{ feature: Feature; incident: Incident | null } | null> {
  const here = await incidentOfChannel(deps, channelId);
  if (featureKey) {
    const feature = deps.catalog.featureByKey(featureKey) as Feature;
    const incident = here?.featureKey === featureKey ? here : await openIncidentOf(deps, featureKey);
    return { feature, incident };
  }
  const feature = here ? deps.catalog.featureByKey(here.featureKey) : null;
  return feature ? { feature, incident: here } : null;
}
