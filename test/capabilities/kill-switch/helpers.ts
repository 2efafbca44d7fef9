// A running Failsafe wired to a real unleash-server, with the example catalog's two flags
// created on in production and development, and helpers to drive /ai-kill over signed HTTP.
import { afterAll, expect } from 'vitest';
import type { FakeView } from '../../../src/sandbox/fakes/slack-state.ts';
import { type RunningApp, type RunningAppOptions, useRunningApp } from '../../support/harness.ts';
import { sendSlackRequest, slashCommandBody, viewSubmissionBody } from '../../support/slack-request.ts';
import { type RealUnleash, startUnleash } from '../../support/unleash.ts';
import { waitUntil } from '../../support/wait.ts';

export const FLAGS = ['ai-support-bot', 'ai-search-summaries'];

export interface KillSwitchApp extends RunningApp {
  readonly unleash: RealUnleash;
}

export function useKillSwitchApp(
  options: Omit<RunningAppOptions, 'extra'> & { extra?: () => Promise<Record<string, string>> } = {},
): KillSwitchApp {
  let unleash: RealUnleash | undefined;
  const ctx = useRunningApp({
    ...options,
    extra: async () => {
      unleash = await startUnleash();
      for (const flag of FLAGS) await unleash.createFlag(flag);
      return {
        UNLEASH_URL: unleash.url,
        UNLEASH_ADMIN_TOKEN: unleash.adminToken,
        UNLEASH_CLIENT_TOKEN: unleash.clientTokens,
        ...(await options.extra?.()),
      };
    },
  });
  // Registered after useRunningApp's, so it runs after the app has stopped.
  afterAll(async () => {
    await unleash?.stop();
  });
  return Object.defineProperties(Object.create(ctx) as KillSwitchApp, {
    unleash: { get: () => unleash as RealUnleash },
    database: { get: () => ctx.database },
    fakes: { get: () => ctx.fakes },
    app: { get: () => ctx.app },
  });
}

/** Types `/ai-kill <text>` as `user`; returns the ephemeral reply, or null when a modal opened. */
export async function killCommand(ctx: RunningApp, text: string, user = 'U0JANE'): Promise<string | null> {
  const views = ctx.fakes.slack.state.views.length;
  const responseUrl = ctx.fakes.slack.controls.responseUrl();
  const path = new URL(responseUrl).pathname;
  const res = await sendSlackRequest(
    `${ctx.app.url}/slack/events`,
    slashCommandBody({
      command: '/ai-kill',
      text,
      user_id: user,
      channel_id: 'C0ALERTS',
      response_url: responseUrl,
    }),
  );
  expect(res.status).toBe(200);
  const outcome = await waitUntil(
    async () => ({
      reply: ctx.fakes.slack.state.responses.find((r) => r.path === path),
      view: ctx.fakes.slack.state.views[views],
    }),
    (o) => o.reply !== undefined || o.view !== undefined,
    { timeoutMs: 15_000 },
  );
  if (outcome.view) return null;
  return String((outcome.reply?.body as { text?: string } | undefined)?.text);
}

export function lastView(ctx: RunningApp): FakeView {
  const view = ctx.fakes.slack.state.views.at(-1);
  if (!view) throw new Error('no modal was opened');
  return view;
}

/** Submits the modal `view` as `user` with `reason`; returns Bolt's HTTP answer. */
export function submitKill(ctx: RunningApp, view: FakeView, reason: string, user = 'U0JANE') {
  return sendSlackRequest(
    `${ctx.app.url}/slack/events`,
    viewSubmissionBody({
      view: { id: view.id, ...view.view },
      values: reason ? { reason: { reason_input: reason } } : {},
      user_id: user,
    }),
  );
}

export function postsIn(ctx: RunningApp, channel: string, includes: string) {
  return ctx.fakes.slack.controls.messagesIn(channel).filter((m) => m.text.includes(includes));
}

export async function auditRows(ctx: RunningApp, feature: string) {
  return ctx.database.query<{
    action: string;
    result: string;
    slack_user_id: string;
    environment: string | null;
    reason: string | null;
    unleash_status: number | null;
  }>(
    'SELECT action, result, slack_user_id, environment, reason, unleash_status FROM kill_switch_audit WHERE feature_key = $1 ORDER BY id',
    [feature],
  );
}
