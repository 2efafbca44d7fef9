// One error handler for every Bolt listener: the details go to the log, the user is told
// plainly what failed and that nothing changed. No exception text reaches Slack: it can
// carry URLs, ids or upstream bodies that are not the user's business.
import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { SlackApi } from '../adapters/slack.ts';
import type { Logger } from '../observability/logger.ts';
import { codeOf, plainReason } from './errors.ts';

/** The few fields of a Slack request body that say who to tell and what they did. */
const Origin = z.object({
  command: z.string().optional(),
  channel_id: z.string().optional(),
  user_id: z.string().optional(),
  response_url: z.url().optional(),
  type: z.string().optional(),
  user: z.object({ id: z.string() }).optional(),
  channel: z.object({ id: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string() })).optional(),
  view: z.object({ callback_id: z.string() }).optional(),
});

export interface Told {
  user: string;
  channel: string | null;
  responseUrl: string | null;
  text: string;
}

/** What to say, and to whom; null when the body names no user to tell. */
export function errorReply(body: unknown, error: unknown): Told | null {
  const origin = Origin.safeParse(body);
  if (!origin.success) return null;
  const o = origin.data;
  const user = o.user_id ?? o.user?.id;
  if (!user) return null;
  const what = o.command
    ? `\`${o.command}\``
    : o.view
      ? 'that form'
      : o.actions?.length
        ? 'that button'
        : 'that';
  return {
    user,
    channel: o.channel_id ?? o.channel?.id ?? null,
    responseUrl: o.response_url ?? null,
    text: `Failsafe could not finish ${what} because ${plainReason(error)}. Nothing was changed; try again in a minute.`,
  };
}

export function registerErrorHandler(app: App, deps: { slack: SlackApi; logger: Logger }): void {
  // Registered with extendedErrorHandler, so Bolt passes the request body along with the error.
  const handler = async ({ error, body }: { error: Error; body: unknown }) => {
    const original = (error as { original?: unknown }).original ?? error;
    const told = errorReply(body, original);
    deps.logger.error(
      { err: original, code: codeOf(original), user: told?.user, channel: told?.channel },
      'slack listener failed',
    );
    if (!told) return;
    await tell(deps.slack, told).catch((e: unknown) =>
      deps.logger.warn({ err: e }, 'could not tell the user about a failed request'),
    );
  };
  app.error(handler as unknown as Parameters<App['error']>[0]);
}

/**
 * Through the response_url when the request has one (a command or a click: it works where the
 * bot is not a member), else ephemeral where it came from, else a DM (a modal).
 */
async function tell(slack: SlackApi, told: Told): Promise<void> {
  if (told.responseUrl) {
    await slack.respond(told.responseUrl, { text: told.text });
    return;
  }
  if (told.channel) {
    await slack.postEphemeral({ channel: told.channel, user: told.user, text: told.text });
    return;
  }
  // Not an effect (nothing retries it): the key only marks the message as ours.
  await slack.postMessage({
    channel: await slack.openDm(told.user),
    text: told.text,
    effectKey: `error-reply:${randomUUID()}`,
  });
}
