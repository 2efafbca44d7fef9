// When PagerDuty cannot be reached the page stays queued, and a human still hears about it:
// the channel gets one notice and the last known on-call person (or the feature owner) a DM.
import { postOnce } from '../../kernel/slack-post.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident, lastPagedSlackId, markPageUnreachable } from '../../store/incidents.ts';
import type { PagingDeps } from './deps.ts';

/** Marks the incident's first paging failure; true only for the call that marked it. */
export async function markUnreachable(
  deps: PagingDeps,
  incidentId: string,
  reason: string,
): Promise<boolean> {
  return markPageUnreachable(deps.db, incidentId, deps.clock.now(), reason);
}

export type PagingProblem = 'unreachable' | 'rejected';

const EXPLAIN: Record<PagingProblem, string> = {
  unreachable: 'PagerDuty is unreachable, so nobody has been paged yet',
  rejected:
    'PagerDuty rejected the page (check the PagerDuty token, From email and service in failsafe.yml), so nobody has been paged',
};

export async function notifyUnreachable(
  deps: PagingDeps,
  incidentId: string,
  problem: PagingProblem,
): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature) return;
  const fallback = await fallbackPerson(deps, incident.featureKey, feature.owner.slack);
  const who = fallback ? `<@${fallback}>` : 'the feature owner';
  const title = `*${escapeMrkdwn(feature.name)}*: ${escapeMrkdwn(incident.title)}`;
  await postOnce(deps, `unreachable-post:${incidentId}`, { channel: feature.slack.alertsChannel }, () => ({
    text: `:warning: ${EXPLAIN[problem]} for ${title}. ${problem === 'unreachable' ? 'Failsafe keeps retrying and has' : 'Failsafe has'} messaged ${who} directly.`,
  }));
  if (!fallback) return;
  const dm = await deps.slack.openDm(fallback);
  await postOnce(deps, `unreachable-dm:${incidentId}`, { channel: dm }, () => ({
    text: `:rotating_light: You are being contacted directly: ${EXPLAIN[problem]}. [${incident.severity}] ${title} — see <#${feature.slack.alertsChannel}>.`,
  }));
}

/** The person most recently paged for this feature, else the owner. */
async function fallbackPerson(
  deps: PagingDeps,
  featureKey: string,
  owner: string | undefined,
): Promise<string | null> {
  return (await lastPagedSlackId(deps.db, featureKey)) ?? owner ?? null;
}
