// A watch's channel line (notify: notice, and its recovery) goes out through the queue, not
// from inside the evaluation: a Slack 429 delays the line, never the other watches, and the
// effect key posts it once across retries and replicas.
import type { JobDefinition } from '../../jobs/types.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import type { WatchDeps } from './deps.ts';

export function noticeJobs(deps: WatchDeps): JobDefinition[] {
  return [
    {
      name: 'watch-notice',
      maxAttempts: 20,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
      handler: async ({ channel, text }, ctx) => {
        await postOnce(deps, ctx.key, { channel }, () => ({ text }));
      },
    },
  ];
}
