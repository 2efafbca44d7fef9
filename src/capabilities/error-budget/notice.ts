// A budget's channel notices (exhausted, recovered, a ticket-level burn) go out through the
// queue, not from inside the evaluation: a Slack 429 or outage then delays the line, not the
// policy it announces (a kill waited behind a rate-limited post before), and the queue's
// retries and effect keys post it once.
import type { JobDefinition } from '../../jobs/types.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import type { BudgetDeps } from './deps.ts';

/** Stores the notice (its key is the effect's), then tries it at once. */
export async function queueBudgetNotice(
  deps: BudgetDeps,
  key: string,
  notice: { channel: string; threadTs?: string; text: string },
): Promise<void> {
  await deps.queue.enqueue('budget-notice', key, notice, { inline: true });
}

export function noticeJobs(deps: BudgetDeps): JobDefinition[] {
  return [
    {
      name: 'budget-notice',
      maxAttempts: 20,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
      handler: async ({ channel, threadTs, text }, ctx) => {
        await postOnce(deps, ctx.key, { channel, ...(threadTs ? { thread_ts: threadTs } : {}) }, () => ({
          text,
        }));
      },
    },
  ];
}
