// One /ai-postmortem run: read the facts, build the draft, store it as a version (or notice
// nothing changed), share it in Slack through the queue, and make sure the follow-ups exist.
// Marking the postmortem reviewed closes the loop.

import type { Incident } from '../../generated/prisma/client.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findPostmortem, lockPostmortem, markPostmortemReviewed } from '../../store/postmortems.ts';
import type { PostmortemDeps } from './deps.ts';
import { buildDraft, type Draft } from './draft.ts';
import { scheduleFollowUps } from './follow-ups.ts';
import { loadLanguageRules } from './language-file.ts';
import { downloadUrl } from './link.ts';
import { loadFacts } from './load.ts';
import { shareComment } from './share.ts';
import { type SavedVersion, saveVersion } from './versions.ts';

export interface Generated {
  draft: Draft;
  saved: SavedVersion;
  link: string | null;
  /** A postmortem-language.yml that could not be used (the built-in list was). */
  languageProblem: string | null;
}

export async function generateDraft(
  deps: PostmortemDeps,
  incident: Incident,
  /** channelId: where the draft is shared, already checked by the caller (kernel/permissions.ts). */
  input: { by: string; channelId: string },
): Promise<Generated> {
  const [facts, language] = await Promise.all([
    loadFacts(deps, incident),
    loadLanguageRules(deps.config.configPath),
  ]);
  const draft = buildDraft(facts, {
    rules: language.rules,
    featureLabel: deps.catalog.catalog.defaults.featureLabel,
  });
  const saved = await saveVersion(deps, {
    incidentId: incident.id,
    draft,
    by: input.by,
    channelId: input.channelId,
  });
  const link = downloadUrl(deps, saved.postmortemId, saved.version);
  if (saved.created) {
    const comment = shareComment(draft, saved, incident.number, link);
    await deps.queue.enqueue(
      'postmortem-share',
      `${saved.postmortemId}:${saved.version}`,
      { postmortemId: saved.postmortemId, version: saved.version, comment },
      { inline: true },
    );
  }
  if (incident.status === 'resolved') await scheduleFollowUps(deps, incident);
  return { draft, saved, link, languageProblem: language.problem };
}

export function draftReply(incident: Pick<Incident, 'number'>, g: Generated): string {
  const { saved, link } = g;
  const where = saved.channelId ? ` in <#${saved.channelId}>` : '';
  const download = link ? ` Download: <${link}|draft v${saved.version}>.` : '';
  const problem = g.languageProblem
    ? `\n:warning: ${escapeMrkdwn(g.languageProblem)} — the built-in language list was used.`
    : '';
  if (!saved.created) {
    const shared = saved.sharedAt ? `It is${where}.` : `It is being shared${where}.`;
    return `Nothing changed since postmortem draft v${saved.version} of incident #${incident.number}, so there is no new version. ${shared}${download}${problem}`;
  }
  const changes = saved.changes ? ` Changed since v${saved.version - 1}: ${saved.changes}` : '';
  return `Postmortem draft v${saved.version} of incident #${incident.number} is being shared${where}.${changes}${download}${problem}`;
}

export async function markReviewed(
  deps: PostmortemDeps,
  incident: Incident,
  user: { id: string; name: string },
): Promise<{ channelText: string | null; reply: string | null }> {
  if (incident.status !== 'resolved')
    return {
      channelText: null,
      reply: `Incident #${incident.number} is still open: review its postmortem once it is resolved.`,
    };
  const now = deps.clock.now();
  const earlier = await deps.db.$transaction(async (tx) => {
    const pm = await lockPostmortem(tx, incident.id);
    const row = await findPostmortem(tx, pm.id);
    if (row?.reviewedAt) return row;
    await markPostmortemReviewed(tx, pm.id, now, user.id);
    await recordEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'postmortem.reviewed',
      actor: user.name,
      text: `Postmortem marked reviewed by ${user.name}`,
      dedupKey: `postmortem-reviewed:${pm.id}`,
    });
    return null;
  });
  if (earlier?.reviewedAt)
    return {
      channelText: null,
      reply: `The postmortem of incident #${incident.number} was already marked reviewed${earlier.reviewedBy ? ` by <@${earlier.reviewedBy}>` : ''} (${earlier.reviewedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    };
  return {
    channelText: `:white_check_mark: The postmortem of incident #${incident.number} is marked reviewed (<@${user.id}>). No more follow-up reminders for it.`,
    reply: null,
  };
}
