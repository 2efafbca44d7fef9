// /ai-postmortem: a blameless postmortem draft built from the incident timeline, shared in the
// incident channel as a Markdown file, versioned, downloadable with a signed link, and
// followed up at 48 h and 72 h until someone marks it reviewed.
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { findIncidentByNumber } from '../../store/incidents.ts';
import { latestIncidentInChannel } from '../../store/slack-events.ts';
import { nameOf } from '../incident-channel/record.ts';
import { type PostmortemCommand, parsePostmortemCommand } from './command.ts';
import { registerDownload } from './download.ts';
import { defineFollowUpJob } from './follow-ups.ts';
import { draftReply, generateDraft, markReviewed } from './generate.ts';
import { defineShareJob } from './share.ts';
import { createSweepArmer, defineSweepJob } from './sweep.ts';

export function register(app: App, deps: AppDeps): void {
  defineShareJob(deps);
  defineFollowUpJob(deps);
  defineSweepJob(deps);
  registerDownload(deps);
  const arm = createSweepArmer(deps);
  // Any Slack traffic arms the follow-up sweep (cheaply, once per slot), so incidents resolved
  // from PagerDuty or by their alerts get follow-ups even before anyone runs /ai-postmortem.
  app.use(async ({ next }) => {
    arm();
    await next();
  });
  app.command('/ai-postmortem', (args) => onPostmortemCommand(deps, args));
}

export async function onPostmortemCommand(
  deps: AppDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  try {
    const user = { id: command.user_id, name: await nameOf(deps, command.user_id) };
    const said = await postmortemReply(deps, parsePostmortemCommand(command.text), command.channel_id, user);
    if (said.channelText)
      await deps.slack.postMessage({ channel: said.channel ?? command.channel_id, text: said.channelText });
    if (said.reply) await respond({ response_type: 'ephemeral', text: said.reply });
  } catch (error) {
    deps.logger.error({ err: error }, '/ai-postmortem failed');
    await respond({
      response_type: 'ephemeral',
      text: `Something went wrong drafting the postmortem: ${(error as Error).message}. Try again.`,
    });
  }
}

export interface PostmortemSaid {
  channelText: string | null;
  /** Where channelText goes: the incident's channel, else where the command was typed. */
  channel: string | null;
  reply: string | null;
}

export async function postmortemReply(
  deps: AppDeps,
  cmd: PostmortemCommand,
  channelId: string,
  user: { id: string; name: string },
): Promise<PostmortemSaid> {
  if (cmd.kind === 'help') return { channelText: null, channel: null, reply: cmd.message };
  const incident = await findIncident(deps, cmd.incidentNumber, channelId);
  if (!incident) {
    const reply =
      cmd.incidentNumber === null
        ? 'Run this in an incident channel (`inc-…`), or name the incident: `/ai-postmortem 12`.'
        : `There is no incident #${cmd.incidentNumber}.`;
    return { channelText: null, channel: null, reply };
  }
  if (cmd.kind === 'reviewed') {
    const said = await markReviewed(deps, incident, user);
    return { ...said, channel: incident.channelId ?? channelId };
  }
  const generated = await generateDraft(deps, incident, { by: user.id, channelId });
  return { channelText: null, channel: null, reply: draftReply(incident, generated) };
}

async function findIncident(
  deps: AppDeps,
  number: number | null,
  channelId: string,
): Promise<Incident | null> {
  if (number !== null) return findIncidentByNumber(deps.db, number);
  return latestIncidentInChannel(deps.db, channelId);
}
