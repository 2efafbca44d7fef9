// /ai-kill drill round trip in the drill environment, and /ai-kill status read from Unleash.
import { describe, expect, it } from 'vitest';
import { lastView } from '../../support/slack.ts';
import { auditRows, killCommand, submitKill, useKillSwitchApp } from './helpers.ts';

const ctx = useKillSwitchApp();

const env = async (flag: string, name: string) => (await ctx.unleash.flag(flag)).find((e) => e.name === name);

describe('/ai-kill status', () => {
  it('shows each flag per environment, marks undrilled features, and names who changed it', async () => {
    const before = await killCommand(ctx, 'status');
    expect(before).toContain('*AI support bot* (`ai-support-bot`), flag `ai-support-bot`');
    expect(before).toContain('• production: *ON 100%*');
    expect(before).toContain('• development (drills): *ON 100%*');
    expect(before).toContain('*Not drilled* in the last 30 days: `/ai-kill drill ai-support-bot`');

    await killCommand(ctx, 'ai-support-bot latency spike');
    await submitKill(ctx, lastView(ctx), 'latency spike');
    await ctx.fakes.slack.waitForMessage((m) => m.text.includes('(Jane Doe: latency spike)'));
    const after = await killCommand(ctx, 'status ai-support-bot');
    expect(after).toMatch(
      /• production: \*OFF\* — last change \d{4}-\d\d-\d\d \d\d:\d\d, turned off \(Jane Doe: latency spike\)/,
    );
    expect(after).not.toContain('AI search summaries');
  });

  it('says when a change was made outside Failsafe', async () => {
    await fetch(
      `${ctx.unleash.url}/api/admin/projects/default/features/ai-search-summaries/environments/production/off`,
      {
        method: 'POST',
        headers: { authorization: ctx.unleash.adminToken },
      },
    );
    expect(await killCommand(ctx, 'status ai-search-summaries', 'U0ANA')).toMatch(
      /• production: \*OFF\* — last change .*, turned off \(failsafe-admin, outside Failsafe\)/,
    );
  });
});

describe('/ai-kill drill', () => {
  it('turns the drill environment off and on, posts the draft update and the timings', async () => {
    const reply = await killCommand(ctx, 'drill ai-support-bot');
    expect(reply).toContain('Drilling `ai-support-bot` in development');
    const report = await ctx.fakes.slack.waitForMessage((m) => m.text.includes('Drill passed'), 30_000);
    expect(report.text).toMatch(
      /Drill passed for \*ai-support-bot\* in development \(Jane Doe\)\. Off in Unleash after \d+\.\d s; SDKs saw it off after \d+\.\d s; back on, SDKs saw it on after \d+\.\d s\. Total \d+\.\d s\./,
    );
    const draft = ctx.fakes.slack.controls
      .messagesIn('C0ALERTS')
      .find((m) => m.text.includes('Drill: the stakeholder update'));
    expect(draft?.text).toMatch(
      /We disabled AI support bot at \d\d:\d\d after a kill-switch drill\. Next update at \d\d:\d\d\./,
    );
    // Drafts never reach the stakeholder channel.
    expect(ctx.fakes.slack.controls.messagesIn('C0STAKE')).toHaveLength(0);
    expect(await env('ai-support-bot', 'development')).toMatchObject({ enabled: true });
    // Production is untouched by a drill (it is off from the status test above).
    expect((await auditRows(ctx, 'ai-support-bot')).at(-1)).toMatchObject({
      action: 'drill',
      result: 'succeeded',
      environment: 'development',
    });
    expect(await killCommand(ctx, 'status ai-support-bot')).toMatch(
      /• Last drill: \d{4}-\d\d-\d\d \(passed: off seen after/,
    );
  });

  it('refuses someone who may not kill the feature', async () => {
    expect(await killCommand(ctx, 'drill ai-support-bot', 'U0PAT')).toContain(
      'You may not drill `ai-support-bot`',
    );
  });
});
