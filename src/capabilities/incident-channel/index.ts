// /ai-incident: incident channels, live capture of their messages onto the timeline, backfill.
import type { AllMiddlewareArgs, MessageShortcut, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Capability } from '../../kernel/capability.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { listOpenIncidents } from '../../store/incidents.ts';
import { latestIncidentInChannel } from '../../store/slack-events.ts';
import { backfillJobs, sweepChannels } from './backfill.ts';
import { eventJobs, onAddToTimeline, storeChannelEvent } from './capture.ts';
import { channelJobs } from './channel.ts';
import { type IncidentCommand, parseIncidentCommand } from './command.ts';
import { DeclareError, declareIncident } from './declare.ts';
import type { ChannelDeps } from './deps.ts';
import { changeState } from './state.ts';
import { summaryJobs } from './summary-refresh.ts';

export { requestSummaryRefresh } from './summary-refresh.ts';

export function createIncidentChannel(): Capability<ChannelDeps> {
  return {
    name: 'incident-channel',
    register(app, deps) {
      app.command('/ai-incident', (args) => onIncidentCommand(deps, args));
      app.event('message', (args) => storeChannelEvent(deps, args));
      app.event('reaction_added', (args) => storeChannelEvent(deps, args));
      app.shortcut<MessageShortcut>('add_to_timeline', (args) => onAddToTimeline(deps, args));
    },
    jobs: (deps) => [...channelJobs(deps), ...summaryJobs(deps), ...backfillJobs(deps), ...eventJobs(deps)],
    // What incident channels said while no replica was running reaches the timeline now.
    async start(deps) {
      await sweepChannels(deps, String(Date.now())).catch((error: unknown) =>
        deps.logger.error({ err: error }, 'incident channel backfill sweep failed'),
      );
    },
  };
}

export async function onIncidentCommand(
  deps: ChannelDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const user = { id: command.user_id, name: await deps.people.nameOf(command.user_id) };
  try {
    const said = await incidentReply(deps, parseIncidentCommand(command.text), command.channel_id, user);
    if (said.channelText)
      await deps.slack.postMessage({
        channel: command.channel_id,
        text: said.channelText,
        effectKey: `command:${command.trigger_id}`,
      });
    if (said.reply) await respond({ response_type: 'ephemeral', text: said.reply });
  } catch (error) {
    // A refusal the user can act on is theirs to read; anything else goes to the app's error
    // handler, which tells them plainly without the exception text.
    if (!(error instanceof DeclareError)) throw error;
    await respond({ response_type: 'ephemeral', text: error.message });
  }
}

export async function incidentReply(
  deps: ChannelDeps,
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

async function listOpen(deps: ChannelDeps): Promise<string> {
  const open = await listOpenIncidents(deps.db);
  if (!open.length) return 'No open incidents. `/ai-incident <feature> <title>` declares one.';
  const lines = open.map((i) => {
    const where = i.channelId ? `<#${i.channelId}>` : `no channel yet — \`/ai-incident ${i.featureKey}\``;
    return `• #${i.number} \`${i.featureKey}\` ${escapeMrkdwn(i.title)} (${i.status}) — ${where}`;
  });
  return `Open incidents:\n${lines.join('\n')}`;
}
