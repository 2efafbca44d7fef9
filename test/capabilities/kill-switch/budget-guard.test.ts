// The error-budget policy holding /ai-kill restore, against a real unleash-server: a restore
// is refused while the budget is exhausted (policy freeze), an admin's audited override lets
// it through, a ramp stops when the budget runs out mid-way, and policy kill turns it off.
import { describe, expect, it } from 'vitest';
import { evaluateBudgets } from '../../../src/capabilities/error-budget/evaluate.ts';
import { catalogFile } from '../../support/catalog.ts';
import { commandReply, replyText } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';
import { storeSignals } from '../error-budget/helpers.ts';
import { auditRows, killCommand, useKillSwitchApp } from './helpers.ts';

const ctx = useKillSwitchApp({
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) => {
      t.features[1].slo.on_exhausted = 'kill';
    }),
  }),
});

async function setFlag(flag: string, on: boolean) {
  const res = await fetch(
    `${ctx.unleash.url}/api/admin/projects/default/features/${flag}/environments/production/${on ? 'on' : 'off'}`,
    { method: 'POST', headers: { authorization: ctx.unleash.adminToken } },
  );
  expect(res.status).toBe(200);
}
const production = async (flag: string) =>
  (await ctx.unleash.flag(flag)).find((e) => e.name === 'production');
const waitPost = (includes: string) =>
  ctx.fakes.slack.waitForMessage((m) => m.channel === 'C0ALERTS' && m.text.includes(includes), 20_000);
/** Spends the whole budget: half of 200 answers bad, against 2% allowed. */
const exhaust = (feature: string) => storeSignals(ctx.app.deps, [{ feature, good: 100, bad: 100 }]);

const override = async (feature: string, reason: string, user = 'U0SAM') =>
  replyText(await commandReply(ctx, '/ai-budget', `override ${feature} ${reason}`, { user }));

describe('the budget policy and /ai-kill restore', () => {
  it('refuses a restore while the budget is exhausted and the policy is freeze, and audits it', async () => {
    await setFlag('ai-support-bot', false);
    await exhaust('ai-support-bot');
    const reply = await killCommand(ctx, 'restore ai-support-bot --ramp 10,100 --hold 1s');
    expect(reply).toBe(
      'Not restoring `ai-support-bot`: the 30-day error budget is exhausted (2500% used) and the budget policy is freeze. ' +
        'Restores wait until the budget recovers or an admin overrides with `/ai-budget override ai-support-bot <reason>`. Nothing was changed.',
    );
    expect((await production('ai-support-bot'))?.enabled).toBe(false);
    const refused = (await auditRows(ctx, 'ai-support-bot')).filter(
      (r) => r.action === 'restore' && r.result === 'refused',
    );
    expect(refused).toHaveLength(1);
    const [row] = await ctx.database.query<{ detail: string }>(
      "SELECT detail FROM kill_switch_audit WHERE action = 'restore' AND result = 'refused' AND feature_key = 'ai-support-bot'",
    );
    expect(row?.detail).toMatch(/^error budget: the 30-day error budget is exhausted/);
  });

  it('lets the restore through after an admin overrides with a reason', async () => {
    expect(await override('ai-support-bot', 'fixed the prompt, verified offline')).toContain(
      'Override recorded',
    );
    await waitPost(
      ':unlock: Sam Lee overrode the error-budget freeze of *ai-support-bot* for 24 hours: fixed the prompt, verified offline',
    );
    const reply = await killCommand(ctx, 'restore ai-support-bot --ramp 10,100 --hold 1s');
    expect(reply).toContain('Restoring `ai-support-bot` in production: 10% → 100%');
    await waitPost('*ai-support-bot* is fully back ON in production (100%)');
    expect(await production('ai-support-bot')).toMatchObject({ enabled: true, rollout: 100 });
  });

  it('stops a ramp whose budget runs out between steps, and turns the flag back off', async () => {
    await setFlag('ai-search-summaries', false);
    await killCommand(ctx, 'restore ai-search-summaries --ramp 10,100 --hold 2s', 'U0ANA');
    await waitPost('*ai-search-summaries* restore step 1 of 2');
    await exhaust('ai-search-summaries');
    const stopped = await waitPost('Stopped restoring *ai-search-summaries*');
    expect(stopped.text).toContain(
      'at 10%: the 30-day error budget is exhausted (5000% used) and the budget policy is kill',
    );
    expect((await production('ai-search-summaries'))?.enabled).toBe(false);
  });

  it('turns the feature off when its budget is exhausted and the policy is kill, even while Slack answers 429', async () => {
    await setFlag('ai-search-summaries', true);
    // Slack refusing every call must delay the lines, not the kill they announce.
    ctx.fakes.slack.controls.failAll({ status: 429, retryAfterSeconds: 1 });
    const evaluation = await evaluateBudgets(ctx.app.deps);
    expect(evaluation.changes).toContainEqual({
      feature: 'ai-search-summaries',
      rule: 'budget',
      firing: true,
    });
    await waitUntil(
      () => production('ai-search-summaries'),
      (env) => env?.enabled === false,
      { what: 'the flag off' },
    );
    ctx.fakes.slack.controls.stopFailing();
    await waitPost(
      '*ai-search-summaries*: the 30-day error budget is exhausted (5000% used). Its budget policy is kill: turning it off.',
    );
    const kills = (await auditRows(ctx, 'ai-search-summaries')).filter(
      (r) => r.action === 'kill' && r.slack_user_id === 'failsafe',
    );
    expect(kills.map((r) => r.result)).toContain('requested');
    expect(kills[0]?.reason).toBe('error budget exhausted (5000% used)');
  });
});
