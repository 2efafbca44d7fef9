// /ai-incident: incident channels, live capture of their messages onto the timeline, backfill.
import type { AllMiddlewareArgs, App, MessageShortcut, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';
import { listOpenIncidents } from '../../store/incidents.ts';
import { latestIncidentInChannel } from '../../store/slack-events.ts';
import { escapeMrkdwn } from '../paging/message.ts';
import { defineBackfillJob } from './backfill.ts';
import { onAddToTimeline, onChannelMessage, onReactionAdded } from './capture.ts';
import { defineChannelJob } from './channel.ts';
import { type IncidentCommand, parseIncidentCommand } from './command.ts';
import { DeclareError, declareIncident } from './declare.ts';
import { nameOf } from './record.ts';
import { changeState } from './state.ts';

export { sweepChannels } from './backfill.ts';

export function register(app: App, deps: AppDeps): void {
  defineChannelJob(deps);
  defineBackfillJob(deps);
  app.command('/ai-incident', (args) => onIncidentCommand(deps, args));
  app.event('message', (args) => onChannelMessage(deps, args));
  app.event('reaction_added', (args) => onReactionAdded(deps, args));
  app.shortcut<MessageShortcut>('add_to_timeline', (args) => onAddToTimeline(deps, args));
}

export async function onIncidentCommand(
  deps: AppDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const user = { id: command.user_id, name: await nameOf(deps, command.user_id) };
  try {
    const said = await incidentReply(deps, parseIncidentCommand(command.text), command.channel_id, user);
    if (said.channelText)
      await deps.slack.postMessage({ channel: command.channel_id, text: said.channelText });
    if (said.reply) await respond({ response_type: 'ephemeral', text: said.reply });
  } catch (error) {
    const text =
      error instanceof DeclareError
        ? error.message
        : `Something went wrong: ${(error as Error).message}. Try again.`;
    if (!(error instanceof DeclareError)) deps.logger.error({ err: error }, '/ai-incident failed');
    await respond({ response_type: 'ephemeral', text });
  }
}

export async function incidentReply(
  deps: AppDeps,
  cmd: IncidentCommand,
  channelId: string,
  user: { id: string; name: string },
): Promise<{ channelText: string | null; reply: string | null }> {
  const features = deps.catalog.catalog.features;
  if (cmd.kind === 'help') return { channelText: null, reply: cmd.message };
  if (cmd.kind === 'list') return { channelText: null, reply: await listOpen(deps) };
  if (cmd.kind === 'declare') {
    const feature = deps.catalog.featureByKey(cmd.featureKey);
    if (!feature) {
      const known = features.map((f) => `\`${f.key}\``).join(', ');
      return {
        channelText: null,
        reply: `Unknown feature \`${escapeMrkdwn(cmd.featureKey)}\`. Try \`/ai-incident <feature> <title>\` with one of: ${known}.`,
      };
    }
    const result = await declareIncident(deps, feature, cmd, { userId: user.id, userName: user.name });
    const where = result.channelId
      ? `<#${result.channelId}>`
      : 'its channel is being created; you are invited';
    const what = result.created
      ? `Declared incident #${result.number}`
      : `Incident #${result.number} is open`;
    return { channelText: null, reply: `${what} for *${escapeMrkdwn(feature.name)}*: ${where}.` };
  }
  const incident = await latestIncidentInChannel(deps.db, channelId);
  if (!incident) {
    return {
      channelText: null,
      reply:
        'Run this in an incident channel (`inc-…`). `/ai-incident <feature> <title>` declares an incident with its own channel.',
    };
  }
  return changeState(deps, incident, cmd, user);
}

async function listOpen(deps: AppDeps): Promise<string> {
  const open = await listOpenIncidents(deps.db);
  if (!open.length) return 'No open incidents. `/ai-incident <feature> <title>` declares one.';
  const lines = open.map((i) => {
    const where = i.channelId ? `<#${i.channelId}>` : `no channel yet — \`/ai-incident ${i.featureKey}\``;
    return `• #${i.number} \`${i.featureKey}\` ${escapeMrkdwn(i.title)} (${i.status}) — ${where}`;
  });
  return `Open incidents:\n${lines.join('\n')}`;
}
