// When PagerDuty cannot be reached the page stays queued, and a human still hears about it:
// the channel gets one notice and the last known on-call person (or the feature owner) a DM.
import { performOnce } from '../../jobs/effects.ts';
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
  await performOnce(deps.db, `unreachable-post:${incidentId}`, {
    claimMs: 30_000,
    perform: async () => {
      const posted = await deps.slack.postMessage({
        channel: feature.slack.alertsChannel,
        text: `:warning: ${EXPLAIN[problem]} for ${title}. ${problem === 'unreachable' ? 'Failsafe keeps retrying and has' : 'Failsafe has'} messaged ${who} directly.`,
      });
      return { ts: posted.ts };
    },
  });
  if (!fallback) return;
  await performOnce(deps.db, `unreachable-dm:${incidentId}`, {
    claimMs: 30_000,
    perform: async () => {
      const dm = await deps.slack.openDm(fallback);
      const posted = await deps.slack.postMessage({
        channel: dm,
        text: `:rotating_light: You are being contacted directly: ${EXPLAIN[problem]}. [${incident.severity}] ${title} — see <#${feature.slack.alertsChannel}>.`,
      });
      return { ts: posted.ts };
    },
  });
}

/** The person most recently paged for this feature, else the owner. */
async function fallbackPerson(
  deps: PagingDeps,
  featureKey: string,
  owner: string | undefined,
): Promise<string | null> {
  return (await lastPagedSlackId(deps.db, featureKey)) ?? owner ?? null;
}
