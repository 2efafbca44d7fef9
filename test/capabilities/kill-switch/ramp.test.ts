// /ai-kill restore: the 10% → 50% → 100% ramp against a real unleash-server, its guard, a
// kill in the middle of it, --now, and a restart between steps.
import { describe, expect, it } from 'vitest';
import { genericAlert, postAlert, startApp } from '../../support/harness.ts';
import { lastView, postsIn } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';
import { killCommand, submitKill, useKillSwitchApp } from './helpers.ts';

const ctx = useKillSwitchApp();

async function turnOff(flag: string) {
  const res = await fetch(
    `${ctx.unleash.url}/api/admin/projects/default/features/${flag}/environments/production/off`,
    {
      method: 'POST',
      headers: { authorization: ctx.unleash.adminToken },
    },
  );
  expect(res.status).toBe(200);
}

const production = async (flag: string) =>
  (await ctx.unleash.flag(flag)).find((e) => e.name === 'production');
const waitPost = (includes: string, timeoutMs = 20_000) =>
  ctx.fakes.slack.waitForMessage((m) => m.channel === 'C0ALERTS' && m.text.includes(includes), timeoutMs);
const operation = async (kind: string) =>
  (
    await ctx.database.query<{ id: string; state: string; step_index: number }>(
      'SELECT id, state, step_index FROM flag_operation WHERE kind = $1 ORDER BY created_at DESC LIMIT 1',
      [kind],
    )
  )[0];

describe('restoring with a ramp', () => {
  it('steps 10% → 50% → 100% after each hold, one line per step', async () => {
    await turnOff('ai-support-bot');
    const reply = await killCommand(ctx, 'restore ai-support-bot --ramp 10,50,100 --hold 1s');
    expect(reply).toContain('Restoring `ai-support-bot` in production: 10% → 50% → 100%');
    await waitPost('*ai-support-bot* is fully back ON in production (100%)');
    const steps = ctx.fakes.slack.controls
      .messagesIn('C0ALERTS')
      .filter((m) => m.text.includes('ai-support-bot') && /restore step|fully back ON/.test(m.text))
      .map((m) => m.text);
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain('restore step 1 of 3: ON for 10% in production');
    expect(steps[1]).toContain('restore step 2 of 3: ON for 50% in production');
    expect(await production('ai-support-bot')).toMatchObject({ enabled: true, rollout: 100 });
    expect(await operation('restore')).toMatchObject({ state: 'done', step_index: 3 });
  });

  it('refuses a bad --ramp or --hold with what to type', async () => {
    expect(await killCommand(ctx, 'restore ai-support-bot --ramp 50,10')).toContain(
      'like `--ramp 10,50,100`',
    );
    expect(await killCommand(ctx, 'restore ai-support-bot --hold soon')).toContain('like `--hold 15m`');
  });

  it('stops and turns the flag back off when a new alert fires for the feature', async () => {
    await turnOff('ai-search-summaries');
    await killCommand(ctx, 'restore ai-search-summaries --ramp 10,100 --hold 2s', 'U0ANA');
    await waitPost('*ai-search-summaries* restore step 1 of 2');
    const res = await postAlert(ctx.app, 'generic', genericAlert('ramp-guard-1', 'ai-search-summaries'));
    expect(res.status).toBe(202);
    const stopped = await waitPost('Stopped restoring *ai-search-summaries*');
    expect(stopped.text).toContain('at 10%: a new alert fired: Hallucinated refunds (ramp-guard-1)');
    expect(stopped.text).toContain('Turned it back OFF in production');
    expect((await production('ai-search-summaries'))?.enabled).toBe(false);
    expect((await operation('restore'))?.state).toBe('aborted');
    expect(postsIn(ctx, 'C0ALERTS', 'ai-search-summaries* is fully back ON')).toHaveLength(0);
  });

  it('refuses a second ramp while one runs, and is cancelled by a kill, which ends with the flag off', async () => {
    await turnOff('ai-support-bot');
    await killCommand(ctx, 'restore ai-support-bot --ramp 10,100 --hold 1h');
    await waitPost('*ai-support-bot* restore step 1 of 2');
    expect(await killCommand(ctx, 'restore ai-support-bot --ramp 50,100')).toContain(
      '`ai-support-bot` is already being restored by Jane Doe',
    );
    const ramps = await ctx.database.query(
      "SELECT id FROM flag_operation WHERE kind = 'restore' AND feature_key = 'ai-support-bot' AND state NOT IN ('done', 'aborted', 'cancelled', 'failed')",
    );
    expect(ramps).toHaveLength(1);
    expect((await production('ai-support-bot'))?.rollout).toBe(10);
    expect(await killCommand(ctx, 'ai-support-bot ramp looked bad')).toBeNull();
    await submitKill(ctx, lastView(ctx), 'ramp looked bad');
    await waitPost('(Jane Doe: ramp looked bad)');
    expect((await production('ai-support-bot'))?.enabled).toBe(false);
    const ramp = await ctx.database.query<{ state: string }>(
      "SELECT state FROM flag_operation WHERE kind = 'restore' ORDER BY created_at DESC LIMIT 1",
    );
    expect(ramp[0]?.state).toBe('cancelled');
  });

  it('--now asks for confirmation, then goes straight to 100%', async () => {
    expect(await killCommand(ctx, 'restore ai-support-bot --now')).toBeNull();
    const view = lastView(ctx);
    expect(view.view.callback_id).toBe('ai_kill_restore_now');
    expect((await production('ai-support-bot'))?.enabled).toBe(false);
    const line = '*ai-support-bot* is fully back ON in production (100%), restored by Jane Doe';
    const before = postsIn(ctx, 'C0ALERTS', line).length;
    expect((await submitKill(ctx, view, '')).status).toBe(200);
    await waitUntil(
      async () => postsIn(ctx, 'C0ALERTS', line).length,
      (n) => n > before,
    );
    expect(await production('ai-support-bot')).toMatchObject({ enabled: true, rollout: 100 });
  });

  it('refuses a restore from someone who may not, and changes nothing', async () => {
    expect(await killCommand(ctx, 'restore ai-search-summaries', 'U0PAT')).toContain(
      'You may not restore `ai-search-summaries`',
    );
    expect((await production('ai-search-summaries'))?.enabled).toBe(false);
  });

  it('carries on after a restart between steps', async () => {
    await turnOff('ai-search-summaries');
    await killCommand(ctx, 'restore ai-search-summaries --ramp 10,100 --hold 3s', 'U0ANA');
    await waitPost('*ai-search-summaries* restore step 1 of 2');
    await ctx.app.stop();
    const env = {
      UNLEASH_URL: ctx.unleash.url,
      UNLEASH_ADMIN_TOKEN: ctx.unleash.adminToken,
      UNLEASH_CLIENT_TOKEN: ctx.unleash.clientTokens,
    };
    const second = await startApp(ctx.database.url, ctx.fakes, env);
    try {
      await waitPost('*ai-search-summaries* is fully back ON in production (100%)', 30_000);
      expect(await production('ai-search-summaries')).toMatchObject({ enabled: true, rollout: 100 });
    } finally {
      await second.stop();
    }
  });
});
