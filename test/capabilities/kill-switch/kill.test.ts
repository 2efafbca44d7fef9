// /ai-kill against a real unleash-server: the modal, the flip, the SDK confirmation, refusals
// and the audit log.
import { describe, expect, it } from 'vitest';
import { genericAlert, postAlert } from '../../support/harness.ts';
import { lastView, postsIn } from '../../support/slack.ts';
import { auditRows, killCommand, submitKill, useKillSwitchApp } from './helpers.ts';

const ctx = useKillSwitchApp();

const production = async (flag: string) =>
  (await ctx.unleash.flag(flag)).find((e) => e.name === 'production');

describe('/ai-kill <feature> [reason]', () => {
  it('opens a modal naming the flag, the fallback and the prefilled reason', async () => {
    expect(await killCommand(ctx, 'ai-support-bot hallucinated refunds')).toBeNull();
    const view = lastView(ctx).view;
    const text = JSON.stringify(view.blocks);
    expect(view.callback_id).toBe('ai_kill_confirm');
    expect(text).toContain('ai-support-bot');
    expect(text).toContain('production');
    expect(text).toContain('Human agents answer support chats');
    expect(text).toContain('"initial_value":"hallucinated refunds"');
    // Opening the modal changes nothing.
    expect((await production('ai-support-bot'))?.enabled).toBe(true);
  });

  it('refuses a submission without a reason and changes nothing', async () => {
    await killCommand(ctx, 'ai-support-bot');
    const res = await submitKill(ctx, lastView(ctx), '');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
    expect((await production('ai-support-bot'))?.enabled).toBe(true);
  });

  it('turns the flag off, waits for the SDK view and posts the confirmed line once', async () => {
    const alert = await postAlert(ctx.app, 'generic', genericAlert('kill-incident-1'));
    expect(alert.status).toBe(202);
    await killCommand(ctx, 'ai-support-bot hallucinated refunds');
    expect(JSON.stringify(lastView(ctx).view.blocks)).toContain('Hallucinated refunds (kill-incident-1)');
    const view = lastView(ctx);
    const first = await submitKill(ctx, view, 'hallucinated refunds');
    expect(first.status).toBe(200);
    // A double submit of the same modal is the same kill.
    expect((await submitKill(ctx, view, 'hallucinated refunds')).status).toBe(200);
    const posted = await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && m.text.includes('is OFF in production'),
      20_000,
    );
    expect(posted.text).toMatch(
      /\*ai-support-bot\* is OFF in production since \d\d:\d\d:\d\d \(Jane Doe: hallucinated refunds\)\. SDKs confirmed off after \d+\.\d s\. Fallback: Human agents answer support chats\./,
    );
    expect((await production('ai-support-bot'))?.enabled).toBe(false);
    const ops = await ctx.database.query<{ state: string; confirm_ms: number }>(
      "SELECT state, confirm_ms FROM flag_operation WHERE kind = 'kill'",
    );
    expect(ops).toHaveLength(1);
    expect(ops[0]?.state).toBe('confirmed');
    expect(ops[0]?.confirm_ms).toBeGreaterThanOrEqual(0);
    expect(postsIn(ctx, 'C0ALERTS', 'is OFF in production')).toHaveLength(1);
    const rows = (await auditRows(ctx, 'ai-support-bot')).map((r) => `${r.action}:${r.result}`);
    expect(rows).toEqual(['kill:requested', 'kill:succeeded', 'kill:confirmed']);
    // The open incident's timeline has the kill, with who did it.
    const timeline = await ctx.database.query<{ kind: string; actor: string; text: string }>(
      "SELECT kind, actor, text FROM timeline_entry WHERE kind = 'flag.kill_confirmed'",
    );
    expect(timeline).toEqual([
      expect.objectContaining({
        actor: 'Jane Doe',
        text: expect.stringContaining('is OFF in production since'),
      }),
    ]);
  });

  it('says a flag that is already off is off, changes nothing, and audits the no-op', async () => {
    const reply = await killCommand(ctx, 'ai-support-bot again');
    expect(reply).toContain('already OFF in production');
    expect(ctx.fakes.slack.state.views.at(-1)?.view.private_metadata).not.toContain('again');
    expect((await auditRows(ctx, 'ai-support-bot')).at(-1)).toMatchObject({ action: 'kill', result: 'noop' });
  });

  it('lists the known features for an unknown one', async () => {
    const reply = await killCommand(ctx, 'ai-nope');
    expect(reply).toContain('Unknown feature `ai-nope`');
    expect(reply).toContain('`ai-support-bot`, `ai-search-summaries`');
  });

  it('refuses someone who is not the owner, on call or listed, without calling Unleash', async () => {
    const before = ctx.fakes.slack.state.views.length;
    // Jane is on call for the support bot, not for search summaries (Ana owns it, PEP2).
    const reply = await killCommand(ctx, 'ai-search-summaries because', 'U0JANE');
    expect(reply).toContain('You may not turn off `ai-search-summaries`');
    expect(reply).toContain('<@U0ANA>');
    expect(ctx.fakes.slack.state.views.length).toBe(before);
    expect((await production('ai-search-summaries'))?.enabled).toBe(true);
    expect((await auditRows(ctx, 'ai-search-summaries')).at(-1)).toMatchObject({
      action: 'kill',
      result: 'refused',
      slack_user_id: 'U0JANE',
      unleash_status: null,
    });
  });

  it('lets members of the admin group kill any feature', async () => {
    // Sam is in S0ADMINS (defaults.admin_group) and not on call for search summaries.
    expect(await killCommand(ctx, 'ai-search-summaries', 'U0SAM')).toBeNull();
    expect(lastView(ctx).view.private_metadata).toContain('"user":"U0SAM"');
  });

  it('lets whoever PagerDuty has on call kill, even when not listed', async () => {
    // Sam is level 2 of PEP1, not the owner and not in permissions.kill.
    expect(await killCommand(ctx, 'ai-support-bot', 'U0SAM')).toContain('already OFF');
  });

  it('keeps audit rows append-only in the database', async () => {
    await expect(ctx.database.query("UPDATE kill_switch_audit SET result = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.database.query('DELETE FROM kill_switch_audit')).rejects.toThrow(/append-only/);
    await expect(ctx.database.query('TRUNCATE kill_switch_audit')).rejects.toThrow(/append-only/);
    expect((await auditRows(ctx, 'ai-support-bot')).length).toBeGreaterThan(3);
  });
});
