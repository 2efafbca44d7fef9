// The durable half of an update: post it to the stakeholder channel and the incident
// channel, each exactly once, put it on the timeline, make its time the incident's promise,
// and arm the reminders.
import type { SlackBlock } from '../../adapters/slack.ts';
import type { Feature } from '../../config/catalog.ts';
import type { Incident, StakeholderUpdate } from '../../generated/prisma/client.ts';
import type { Tx } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident } from '../../store/incidents.ts';
import { findUpdate, promiseNextUpdate, setUpdatePosts } from '../../store/updates.ts';
import type { UpdateDeps } from './deps.ts';
import { scheduleReminders } from './reminders.ts';

export function postJobs(deps: UpdateDeps): JobDefinition[] {
  return [
    {
      name: 'stakeholder-update-post',
      maxAttempts: 20,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: ({ updateId, by }) => postUpdate(deps, updateId, by),
      // The poster closed the modal believing it was posted: tell them it was not.
      onGiveUp: ({ updateId }, error) => tellPoster(deps, updateId, error),
    },
  ];
}

export async function postUpdate(deps: UpdateDeps, updateId: string, by: string): Promise<void> {
  const update = await findUpdate(deps.db, updateId);
  const feature = update && deps.catalog.featureByKey(update.featureKey);
  if (!update || !feature) return;
  const incident = update.incidentId ? await findIncident(deps.db, update.incidentId) : null;
  const stakeholders = feature.slack.stakeholderChannel;
  const posts = [
    await postTo(
      deps,
      update,
      'stakeholders',
      stakeholders,
      stakeholderMessage(feature, incident, update, by),
      (tx) => recordPosted(tx, deps, update, incident, by),
    ),
  ];
  const own = incident?.channelId;
  if (own && own !== stakeholders) {
    const text = `:loudspeaker: Stakeholder update posted in <#${stakeholders}> by ${escapeMrkdwn(by)}:\n${quote(update.text)}`;
    posts.push(await postTo(deps, update, 'incident', own, { text }));
  }
  await setUpdatePosts(deps.db, update.id, posts);
  // The stakeholder post recorded the next update's due time on the incident.
  if (incident) await deps.incidentChanged?.(deps, incident.id);
  if (incident?.status !== 'resolved') {
    await scheduleReminders(deps, {
      incidentId: incident?.id ?? null,
      featureKey: feature.key,
      dueAt: update.nextUpdateAt,
    });
  }
}

async function postTo(
  deps: UpdateDeps,
  update: StakeholderUpdate,
  where: string,
  channel: string,
  content: { text: string; blocks?: SlackBlock[] },
  record?: (tx: Tx) => Promise<void>,
): Promise<{ channel: string; ts: string }> {
  const run = await postOnce(deps, `stakeholder-update:${update.id}:${where}`, { channel }, () => content, {
    ...(record ? { record: (tx: Tx) => record(tx) } : {}),
  });
  return { channel: run.result.channel, ts: run.result.ts };
}

const quote = (text: string) =>
  escapeMrkdwn(text)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');

/** The update as posted: every part from outside escaped, in the blocks and the notification text. */
export function stakeholderMessage(
  feature: Feature,
  incident: Incident | null,
  update: Pick<StakeholderUpdate, 'text'>,
  by: string,
) {
  const heading = `*${escapeMrkdwn(feature.name)}*${incident ? ` · incident #${incident.number}` : ''}`;
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${heading}\n${escapeMrkdwn(update.text)}` } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Posted by ${escapeMrkdwn(by)} with /ai-update` }],
    },
  ];
  return { text: `${escapeMrkdwn(feature.name)}: ${escapeMrkdwn(update.text)}`, blocks };
}

/** In the same transaction that marks the stakeholder post done: timeline and the promise. */
async function recordPosted(
  tx: Tx,
  deps: UpdateDeps,
  update: StakeholderUpdate,
  incident: Incident | null,
  by: string,
): Promise<void> {
  if (!incident) return;
  await recordEntry(tx, {
    incidentId: incident.id,
    at: deps.clock.now(),
    kind: 'update.posted',
    actor: by,
    text: update.text,
    data: { updateId: update.id, nextUpdateAt: update.nextUpdateAt.toISOString() },
    dedupKey: `update:${update.id}`,
  });
  await promiseNextUpdate(tx, incident.id, update);
}

async function tellPoster(deps: UpdateDeps, updateId: string, error: unknown): Promise<void> {
  const update = await findUpdate(deps.db, updateId);
  if (!update) return;
  const channel = await deps.slack.openDm(update.postedBy);
  await postOnce(deps, `stakeholder-update:${update.id}:failed`, { channel }, () => ({
    text: `:x: Your stakeholder update could not be posted: ${escapeMrkdwn(whatFailed(error))}. Post it again with /ai-update:\n${quote(update.text)}`,
  }));
}
