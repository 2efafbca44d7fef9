// Exactly one Slack message per effect, across retries and crashes. The first attempt posts;
// a later one (the earlier may have reached Slack before timing out or crashing) first looks
// for the message carrying the effect's key and adopts it instead of posting a second.
import type { PostArgs, SlackApi } from '../adapters/slack.ts';
import { type EffectDeps, type EffectRun, performOnce, type Tx } from '../jobs/effects.ts';

export type PostContent = Omit<PostArgs, 'channel' | 'thread_ts' | 'effectKey'>;

// A type, not an interface: the result is stored as JSON with the effect.
export type Posted = {
  channel: string;
  ts: string;
  /** True when an earlier attempt's message was found and nothing new was posted. */
  found: boolean;
};

/**
 * Posts effect `key`'s message to `where` (a channel or DM id, optionally a thread). `content`
 * is built only when a post is needed: a DM's one-tap link is issued only for a message that
 * will really be sent.
 */
export async function postEffect(
  slack: Pick<SlackApi, 'postMessage' | 'findEffectMessage'>,
  effect: { key: string; attempt: number },
  where: { channel: string; thread_ts?: string | undefined },
  content: () => PostContent | Promise<PostContent>,
): Promise<Posted> {
  if (effect.attempt > 1) {
    const earlier = await slack.findEffectMessage(where.channel, effect.key, where.thread_ts);
    if (earlier) return { ...earlier, found: true };
  }
  const posted = await slack.postMessage({ ...where, ...(await content()), effectKey: effect.key });
  return { ...posted, found: false };
}

/**
 * One message for effect `key`, posted by one process once: `performOnce` keeps replicas and
 * finished effects from posting again, `postEffect` keeps a retry from doubling a lost attempt.
 */
export async function postOnce(
  deps: EffectDeps & { slack: Pick<SlackApi, 'postMessage' | 'findEffectMessage'> },
  key: string,
  where: { channel: string; thread_ts?: string | undefined },
  content: () => PostContent | Promise<PostContent>,
  options: { claimMs?: number; record?: (tx: Tx, posted: Posted) => Promise<void> } = {},
): Promise<EffectRun<Posted>> {
  return performOnce(deps, key, {
    claimMs: options.claimMs ?? 30_000,
    perform: (attempt) => postEffect(deps.slack, { key, attempt }, where, content),
    ...(options.record ? { record: options.record } : {}),
  });
}
