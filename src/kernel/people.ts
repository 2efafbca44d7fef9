// Who a Slack user is: their display name (for timeline lines and messages) and, through the
// email on their profile, their PagerDuty user (to act as them). Cached a few minutes per
// process: a busy channel or a burst of clicks should not cost a lookup each, and a person who
// just got a PagerDuty account waits at most the expiry.
import type { PagerDutyRest } from '../adapters/pagerduty.ts';
import type { SlackApi } from '../adapters/slack.ts';
import type { Clock } from './clock.ts';
import { displayName } from './slack-text.ts';

const TTL_MS = 10 * 60_000;

export interface PagerDutyPerson {
  id: string;
  name: string;
  email: string;
}

export interface People {
  /** The person's display name; 'someone' without an id, the id itself when Slack cannot say. */
  nameOf(userId: string | undefined): Promise<string>;
  /** Their PagerDuty user by Slack profile email; null person without PagerDuty REST or a match. */
  pagerDutyPersonFor(slackUserId: string): Promise<{ person: PagerDutyPerson | null; email: string | null }>;
}

export function createPeople(deps: {
  slack: Pick<SlackApi, 'usersInfo'>;
  pagerduty: Pick<PagerDutyRest, 'findUserByEmail'> | null;
  clock: Clock;
}): People {
  const names = new Map<string, { name: string; until: number }>();
  const persons = new Map<string, { person: PagerDutyPerson | null; email: string | null; until: number }>();
  return {
    async nameOf(userId) {
      if (!userId) return 'someone';
      const now = deps.clock.now().getTime();
      const hit = names.get(userId);
      if (hit && hit.until > now) return hit.name;
      const name = displayName(await deps.slack.usersInfo(userId).catch(() => null), userId);
      names.set(userId, { name, until: now + TTL_MS });
      return name;
    },
    async pagerDutyPersonFor(slackUserId) {
      const now = deps.clock.now().getTime();
      const hit = persons.get(slackUserId);
      if (hit && hit.until > now) return hit;
      const profile = await deps.slack.usersInfo(slackUserId);
      const email = profile.email ?? null;
      const person = email && deps.pagerduty ? await deps.pagerduty.findUserByEmail(email) : null;
      const entry = { person, email, until: now + TTL_MS };
      persons.set(slackUserId, entry);
      return entry;
    },
  };
}
