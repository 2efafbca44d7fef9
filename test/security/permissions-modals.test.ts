// Modal submissions are asked again: the kill and restore-now modals and /ai-update used to
// trust whoever opened them. Here the incident lead opens each modal, the lead changes hands
// (or the incident ends) before the submit, and the submit is refused with nothing changed.
import { describe, expect, it } from 'vitest';
import type { FakeView } from '../../src/sandbox/fakes/slack-state.ts';
import { auditRows, killCommand, submitKill, useKillSwitchApp } from '../capabilities/kill-switch/helpers.ts';
import {
  openIncident,
  resolveOpenIncident,
  submitUpdate,
  updateCommand,
} from '../capabilities/stakeholder-updates/helpers.ts';
import { lastView } from '../support/slack.ts';
import { waitUntil } from '../support/wait.ts';

const ctx = useKillSwitchApp();

const production = async (flag: string) =>
  (await ctx.unleash.flag(flag)).find((e) => e.name === 'production');
const leadIs = (incidentId: string, user: string) =>
  ctx.database.query('UPDATE incident SET lead_slack_id = $1 WHERE id = $2', [user, incidentId]);

describe('the kill modal', () => {
  it('is refused at submission once the submitter no longer leads an open incident', async () => {
    const incident = await openIncident(ctx, 'perm-kill-1', 'ai-support-bot');
    await leadIs(incident.id, 'U0PAT');
    expect(await killCommand(ctx, 'ai-support-bot bad answers', 'U0PAT')).toBeNull();
    const view = lastView(ctx);
    await resolveOpenIncident(ctx, 'ai-support-bot');
    const res = await submitKill(ctx, view, 'bad answers', 'U0PAT');
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: {
        reason:
          'You may not turn off `ai-support-bot`. Ask the owner <@U0JANE>, whoever is on call for it, <!subteam^S0ADMINS>. Nothing was changed.',
      },
    });
    expect((await production('ai-support-bot'))?.enabled).toBe(true);
    const rows = await ctx.database.query("SELECT id FROM flag_operation WHERE requested_by = 'U0PAT'");
    expect(rows).toEqual([]);
    expect((await auditRows(ctx, 'ai-support-bot')).at(-1)).toMatchObject({
      action: 'kill',
      result: 'refused',
      slack_user_id: 'U0PAT',
    });
  });
});

describe('a kill form Failsafe never opened', () => {
  it('is answered "out of date", not a 500, and changes nothing', async () => {
    for (const private_metadata of ['{', '{"feature":1}', '']) {
      const view: FakeView = {
        id: `VFORGED${private_metadata.length}`,
        triggerId: 'T0FORGED',
        hash: 'h',
        updates: 0,
        view: { callback_id: 'ai_kill_confirm', private_metadata },
      };
      const res = await submitKill(ctx, view, 'forged', 'U0JANE');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        response_action: 'errors',
        errors: { reason: 'This form is out of date: run /ai-kill again.' },
      });
    }
    expect((await production('ai-support-bot'))?.enabled).toBe(true);
  });
});

describe('the restore-now modal', () => {
  it('is refused at submission once the submitter no longer leads, and the flag stays off', async () => {
    expect(await killCommand(ctx, 'ai-search-summaries drift', 'U0ANA')).toBeNull();
    await submitKill(ctx, lastView(ctx), 'drift', 'U0ANA');
    await waitUntil(
      () => production('ai-search-summaries'),
      (env) => env?.enabled === false,
      {
        what: 'the kill',
      },
    );
    const incident = await openIncident(ctx, 'perm-restore-1', 'ai-search-summaries');
    await leadIs(incident.id, 'U0PAT');
    expect(await killCommand(ctx, 'restore ai-search-summaries --now', 'U0PAT')).toBeNull();
    const view = lastView(ctx);
    await leadIs(incident.id, 'U0SAM');
    expect((await submitKill(ctx, view, '', 'U0PAT')).status).toBe(200);
    const [told] = await waitUntil(
      async () => ctx.fakes.slack.state.ephemeral.filter((e) => e.user === 'U0PAT'),
      (e) => e.length > 0,
      { what: 'the refusal' },
    );
    expect(told?.text).toMatch(/^You may not restore `ai-search-summaries`\. Ask the incident lead <@U0SAM>/);
    expect((await production('ai-search-summaries'))?.enabled).toBe(false);
  });
});

describe('the /ai-update modal', () => {
  it('refuses an outsider when asked, and a submitter who lost the lead when submitted', async () => {
    const incident = await openIncident(ctx, 'perm-update-1', 'ai-support-bot');
    const views = ctx.fakes.slack.state.views.length;
    expect(await updateCommand(ctx, 'ai-support-bot', 'C0RANDOM', 'U0PAT')).toMatch(
      'You may not post a stakeholder update for `ai-support-bot`. Ask the owner <@U0JANE>, whoever is on call for it, <!subteam^S0ADMINS>. Nothing was changed.',
    );
    expect(ctx.fakes.slack.state.views.length).toBe(views);

    await leadIs(incident.id, 'U0PAT');
    expect(await updateCommand(ctx, 'ai-support-bot', 'C0RANDOM', 'U0PAT')).toBeNull();
    const view = lastView(ctx);
    await leadIs(incident.id, 'U0SAM');
    const text = 'We turned off the AI support bot while we check its answers. No data loss confirmed.';
    const res = await submitUpdate(ctx, view, { text, next: '23:59' }, 'U0PAT');
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.update_text).toMatch(/^You may not post a stakeholder update for `ai-support-bot`/);
    expect(await ctx.database.query('SELECT id FROM stakeholder_update')).toEqual([]);
  });
});
