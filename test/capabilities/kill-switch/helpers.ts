// A running Failsafe wired to a real unleash-server, with the example catalog's two flags
// created on in production and development, and helpers to drive /ai-kill over signed HTTP.
import { afterAll } from 'vitest';
import type { FakeView } from '../../../src/sandbox/fakes/slack-state.ts';
import { type RunningApp, type RunningAppOptions, useRunningApp } from '../../support/harness.ts';
import { commandReplyOrModal, submitView } from '../../support/slack.ts';
import { type RealUnleash, startUnleash } from '../../support/unleash.ts';

export const FLAGS = ['ai-support-bot', 'ai-search-summaries'];

export interface KillSwitchApp extends RunningApp {
  readonly unleash: RealUnleash;
}

export function useKillSwitchApp(
  options: Omit<RunningAppOptions, 'extra'> & { extra?: () => Promise<Record<string, string>> } = {},
): KillSwitchApp {
  let unleash: RealUnleash | undefined;
  // Registered before useRunningApp's: vitest runs afterAll hooks in reverse order, so this
  // one runs once the app has stopped. Stopped first, Unleash would leave a kill's
  // flag-verify job waiting out its whole 30 s timeout inside the app's graceful stop.
  afterAll(async () => {
    await unleash?.stop();
  });
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
  return Object.defineProperties(Object.create(ctx) as KillSwitchApp, {
    unleash: { get: () => unleash as RealUnleash },
    database: { get: () => ctx.database },
    fakes: { get: () => ctx.fakes },
    app: { get: () => ctx.app },
  });
}

/** Types `/ai-kill <text>` as `user`; returns the ephemeral reply, or null when a modal opened. */
export const killCommand = (ctx: RunningApp, text: string, user = 'U0JANE'): Promise<string | null> =>
  commandReplyOrModal(ctx, '/ai-kill', text, { user });

/** Submits the modal `view` as `user` with `reason`; returns Bolt's HTTP answer. */
export const submitKill = (ctx: RunningApp, view: FakeView, reason: string, user = 'U0JANE') =>
  submitView(ctx, view, reason ? { reason: { reason_input: reason } } : {}, user);

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
