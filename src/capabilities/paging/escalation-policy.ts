// Where an incident stands in its escalation policy. Escalating past the last level would
// send PagerDuty a level that does not exist (it refuses) and, from the ack timer, re-arm a
// timer that "escalates" forever; both callers ask here first and stop instead.

import type { Incident } from '../../generated/prisma/client.ts';
import { escalationPolicyOf } from '../../kernel/escalation-policy.ts';
import type { PagingDeps } from './deps.ts';

/**
 * The highest level with someone on call in the incident's policy (PagerDuty lists one
 * on-call entry per level and person), or null when the feature names no policy or service
 * to look it up by. Throws when PagerDuty cannot be asked: the caller retries or says so.
 */
export async function lastEscalationLevel(deps: PagingDeps, incident: Incident): Promise<number | null> {
  const rest = deps.pagerduty.rest;
  const pd = deps.catalog.featureByKey(incident.featureKey)?.pagerduty;
  if (!rest || !pd) return null;
  const policy = await escalationPolicyOf(rest, pd);
  if (!policy) return null;
  const levels = (await rest.listOncalls(policy)).map((o) => o.escalationLevel);
  return levels.length ? Math.max(...levels) : null;
}

export function atLastLevelText(incident: Pick<Incident, 'number' | 'escalationLevel'>): string {
  return `Incident #${incident.number} is at the last level of its escalation policy (level ${incident.escalationLevel}); nobody further to page.`;
}
