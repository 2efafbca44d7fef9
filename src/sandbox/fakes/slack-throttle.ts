// The fake's deliberate failures: injected ones (controls.failNext) and Slack's per-channel
// chat.postMessage rate limit (≈1 message/s, short bursts allowed).
import { slidingWindow } from './rate-window.ts';
import type { SlackArgs } from './slack-state.ts';

export interface InjectedFailure {
  /** HTTP status; default 429 when retryAfterSeconds is set, else 200 (Slack's ok:false). */
  status?: number;
  retryAfterSeconds?: number;
  /** Slack error code; default 'ratelimited' for 429, else 'internal_error'. */
  error?: string;
  /** Only fail calls of this method (others pass untouched). */
  method?: string;
  /** Only fail calls whose `channel` argument is this one. */
  channel?: string;
  /** Never answer: the connection stays open until close(), to exercise client timeouts. */
  hang?: boolean;
}

export function createFailures() {
  const failures: Array<{ remaining: number; failure: InjectedFailure }> = [];
  return {
    /** `count` may be Infinity: every matching call fails until clear(). */
    add(count: number, failure: InjectedFailure): void {
      failures.push({ remaining: count, failure });
    },
    /** Forgets every injected failure not yet used up. */
    clear(): void {
      failures.length = 0;
    },
    /** The first registered failure that applies to this call, consumed. */
    take(method: string, args: SlackArgs): InjectedFailure | undefined {
      const entry = failures.find(
        (f) =>
          f.remaining > 0 &&
          (!f.failure.method || f.failure.method === method) &&
          (!f.failure.channel || f.failure.channel === args.channel),
      );
      if (!entry) return undefined;
      entry.remaining -= 1;
      return entry.failure;
    },
  };
}

/**
 * Web API rate-limit tiers (docs.slack.dev/apis/web-api/rate-limits): calls per minute per
 * method and workspace. Slack's "20+" allows bursts above the figure; the fake holds to it.
 */
const PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
type Tier = keyof typeof PER_MINUTE;
export const METHOD_TIERS: Record<string, Tier> = {
  'chat.update': 3,
  'chat.postEphemeral': 4,
  'conversations.create': 2,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.info': 3,
  'conversations.invite': 3,
  'conversations.join': 3,
  'conversations.list': 2,
  'conversations.members': 4,
  'conversations.open': 3,
  'conversations.setTopic': 2,
  'pins.add': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'usergroups.users.list': 2,
  'views.open': 4,
  'views.update': 4,
  'views.publish': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'auth.test': 4,
};

export interface RateLimits {
  /** chat.postMessage per channel: at most this many in any `windowMs` (Slack: about 1/s, short bursts allowed). */
  postsPerChannel: number;
  windowMs: number;
  /** Apply METHOD_TIERS to every other method (default true). */
  tiers: boolean;
}

/** The fake's reading of Slack's limits: 1 message/s per channel averaged over 5 s, and the tiers. */
export const SLACK_RATE_LIMITS: RateLimits = { postsPerChannel: 5, windowMs: 5_000, tiers: true };

/** Seconds to wait (Retry-After) when this call is over its limit, else undefined (and counted). */
export function createRateLimiter(limits: RateLimits | undefined, now: () => number) {
  if (!limits) return (_method: string, _args: SlackArgs): number | undefined => undefined;
  const posts = slidingWindow(limits.postsPerChannel, limits.windowMs, now);
  const perTier = new Map<string, ReturnType<typeof slidingWindow>>();
  return (method: string, args: SlackArgs): number | undefined => {
    if (method === 'chat.postMessage') return posts(String(args.channel));
    const tier = METHOD_TIERS[method];
    if (!limits.tiers || tier === undefined) return undefined;
    let window = perTier.get(method);
    if (!window) {
      window = slidingWindow(PER_MINUTE[tier], 60_000, now);
      perTier.set(method, window);
    }
    return window(method);
  };
}
