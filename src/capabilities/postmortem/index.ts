// /ai-postmortem: a blameless postmortem draft built from the incident timeline, shared in the
// incident channel as a Markdown file, versioned, downloadable with a signed link, and
// followed up at 48 h and 72 h until someone marks it reviewed.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Incident } from '../../generated/prisma/client.ts';
import type { Capability } from '../../kernel/capability.ts';
import { mayDo, postChannel, refusal } from '../../kernel/permissions.ts';
import { findIncidentByNumber } from '../../store/incidents.ts';
import { postmortemOfIncident, revokePostmortemLinks } from '../../store/postmortems.ts';
import { latestIncidentInChannel } from '../../store/slack-events.ts';
import { type PostmortemCommand, parsePostmortemCommand } from './command.ts';
import type { PostmortemDeps } from './deps.ts';
import { registerDownload } from './download.ts';
import { followUpJobs } from './follow-ups.ts';
import { draftReply, generateDraft, markReviewed } from './generate.ts';
import { shareJobs } from './share.ts';
import { createSweepArmer, nextSlot, scheduleSweep, sweepJobs } from './sweep.ts';

export function createPostmortem(): Capability<PostmortemDeps> {
  return {
    name: 'postmortem',
    register(app, deps) {
      registerDownload(deps);
      const arm = createSweepArmer(deps);
      // Any Slack traffic arms the follow-up sweep (cheaply, once per slot), so incidents resolved
      // from PagerDuty or by their alerts get follow-ups even before anyone runs /ai-postmortem.
      app.use(async ({ next }) => {
        arm();
        await next();
      });
      app.command('/ai-postmortem', (args) => onPostmortemCommand(deps, args));
    },
    jobs: (deps) => [...shareJobs(deps), ...followUpJobs(deps), ...sweepJobs(deps)],
    // The sweep chain is armed at start, so a replica that never sees a Slack request still
    // reminds people 48 h and 72 h after an incident resolves.
    async start(deps) {
      await scheduleSweep(deps, nextSlot(deps.clock.now().getTime())).catch((error: unknown) =>
        deps.logger.error({ err: error }, 'could not arm the postmortem follow-up sweep'),
      );
    },
  };
}

export async function onPostmortemCommand(
  deps: PostmortemDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  // A failure here reaches the app's error handler, which tells the user plainly.
  const user = { id: command.user_id, name: await deps.people.nameOf(command.user_id) };
  const said = await postmortemReply(deps, parsePostmortemCommand(command.text), command.channel_id, user);
  if (said.channelText)
    await deps.slack.postMessage({
      channel: said.channel ?? command.channel_id,
      text: said.channelText,
      effectKey: `command:${command.trigger_id}`,
    });
  if (said.reply) await respond({ response_type: 'ephemeral', text: said.reply });
}

export interface PostmortemSaid {
  channelText: string | null;
  /** Where channelText goes: the incident's channel, else where the command was typed. */
  channel: string | null;
  reply: string | null;
}

export async function postmortemReply(
  deps: PostmortemDeps,
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
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature) {
    const reply = `Incident #${incident.number} is of \`${incident.featureKey}\`, which is no longer in the catalog, so nobody may act on its postmortem from Slack.`;
    return { channelText: null, channel: null, reply };
  }
  const subject = { feature, incident };
  // Saying it is already reviewed is reading; marking it is the lead's or the owner's.
  const marking = cmd.kind === 'reviewed' && !(await postmortemOfIncident(deps.db, incident.id))?.reviewedAt;
  const act = marking ? 'review' : 'postmortem';
  const permission = await mayDo(deps, act, subject, user.id);
  if (!permission.allowed)
    return { channelText: null, channel: null, reply: refusal(act, feature, permission) };
  // The incident's own channel first; never one it was typed in that is not the feature's.
  const channel = incident.channelId ?? postChannel(subject, channelId);
  if (cmd.kind === 'reviewed') return { ...(await markReviewed(deps, incident, user)), channel };
  if (cmd.kind === 'revoke') return { channelText: null, channel, reply: await revokeLinks(deps, incident) };
  const generated = await generateDraft(deps, incident, { by: user.id, channelId: channel });
  return { channelText: null, channel: null, reply: draftReply(incident, generated) };
}

async function revokeLinks(deps: PostmortemDeps, incident: Incident): Promise<string> {
  const revoked = await revokePostmortemLinks(deps.db, incident.id, deps.clock.now());
  return revoked
    ? `Every download link of the postmortem of incident #${incident.number} issued until now stops working. Run \`/ai-postmortem ${incident.number}\` for a new one.`
    : `Incident #${incident.number} has no postmortem draft yet, so there is no link to revoke.`;
}

async function findIncident(
  deps: PostmortemDeps,
  number: number | null,
  channelId: string,
): Promise<Incident | null> {
  if (number !== null) return findIncidentByNumber(deps.db, number);
  return latestIncidentInChannel(deps.db, channelId);
}
