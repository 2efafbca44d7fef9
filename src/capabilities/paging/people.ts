// Who a Slack user is in PagerDuty: Slack profile email → PagerDuty user with that email.
// Cached for a few minutes per process: a click should not cost two lookups, and a person
// who just got a PagerDuty account waits at most the expiry.
import type { AppDeps } from '../../deps.ts';

export interface PagerDutyPerson {
  id: string;
  name: string;
  email: string;
}

const TTL_MS = 10 * 60_000;
const caches = new WeakMap<
  object,
  Map<string, { person: PagerDutyPerson | null; email: string | null; until: number }>
>();

export async function pagerDutyPersonFor(
  deps: AppDeps,
  slackUserId: string,
): Promise<{ person: PagerDutyPerson | null; email: string | null }> {
  const cache = caches.get(deps.queue) ?? new Map();
  caches.set(deps.queue, cache);
  const now = deps.clock.now().getTime();
  const hit = cache.get(slackUserId);
  if (hit && hit.until > now) return hit;
  const profile = await deps.slack.usersInfo(slackUserId);
  const email = profile.email ?? null;
  const person = email && deps.pagerduty.rest ? await deps.pagerduty.rest.findUserByEmail(email) : null;
  const entry = { person, email, until: now + TTL_MS };
  cache.set(slackUserId, entry);
  return entry;
}
