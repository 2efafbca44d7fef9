// Who a Slack user is, by name, for timeline lines and messages. Cached a few minutes per
// process: a busy incident channel should not cost a users.info call per message.
import type { SlackApi } from '../adapters/slack.ts';
import type { Clock } from './clock.ts';
import { displayName } from './slack-text.ts';

const NAME_TTL_MS = 10 * 60_000;

export interface People {
  /** The person's display name; 'someone' without an id, the id itself when Slack cannot say. */
  nameOf(userId: string | undefined): Promise<string>;
}

export function createPeople(deps: { slack: Pick<SlackApi, 'usersInfo'>; clock: Clock }): People {
  const names = new Map<string, { name: string; until: number }>();
  return {
    async nameOf(userId) {
      if (!userId) return 'someone';
      const now = deps.clock.now().getTime();
      const hit = names.get(userId);
      if (hit && hit.until > now) return hit.name;
      const name = displayName(await deps.slack.usersInfo(userId).catch(() => null), userId);
      names.set(userId, { name, until: now + NAME_TTL_MS });
      return name;
    },
  };
}
