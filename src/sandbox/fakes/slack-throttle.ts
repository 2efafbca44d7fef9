// The fake's deliberate failures: injected ones (controls.failNext) and Slack's per-channel
// chat.postMessage rate limit (≈1 message/s, short bursts allowed).
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

/** Seconds to wait (Retry-After) when this call is over the limit, else undefined (and counted). */
export function createRateLimiter(limit: number | undefined, now: () => number) {
  const postsPerChannel = new Map<string, number[]>();
  return (method: string, args: SlackArgs): number | undefined => {
    if (limit === undefined || method !== 'chat.postMessage') return undefined;
    const key = String(args.channel);
    const recent = (postsPerChannel.get(key) ?? []).filter((t) => t > now() - 1000);
    postsPerChannel.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= limit && oldest !== undefined)
      return Math.max(1, Math.ceil((oldest + 1000 - now()) / 1000));
    recent.push(now());
    return undefined;
  };
}
