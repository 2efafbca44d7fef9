// A kill that Unleash accepts but the SDK view never confirms (here: a client token Unleash
// refuses) is an incident of its own: the channel is told plainly and the owner is paged —
// the owner, not whoever is first on call (a different person in this file's roster).
import { describe, expect, it } from 'vitest';
import { JANE } from '../../../src/sandbox/fakes/pagerduty-roster.ts';
import { editedCatalog } from '../../support/catalog.ts';
import { ownerNotFirstOnCall } from '../../support/roster.ts';
import { lastView } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';
import { auditRows, killCommand, submitKill, useKillSwitchApp } from './helpers.ts';

const catalogWithShortVerify = () =>
  editedCatalog((text) => text.replace('kill_verify_timeout: 30s', 'kill_verify_timeout: 2s'));

const ctx = useKillSwitchApp({
  beforeStart: (fakes) => fakes.pd.setRoster(ownerNotFirstOnCall()),
  extra: async () => ({
    UNLEASH_CLIENT_TOKEN: 'default:production.not-a-token-unleash-knows',
    FAILSAFE_CONFIG: await catalogWithShortVerify(),
  }),
});

describe('a kill the SDK view never confirms', () => {
  it('says so after the verification timeout and pages the owner', async () => {
    await killCommand(ctx, 'ai-support-bot drifting answers');
    await submitKill(ctx, lastView(ctx), 'drifting answers');
    const warning = await ctx.fakes.slack.waitForMessage((m) =>
      m.text.includes('SDKs still did not see it off'),
    );
    expect(warning.text).toContain('was turned off in Unleash (production)');
    expect(warning.text).toContain('after 2 s. Treat the feature as still ON');
    expect(warning.text).toContain('Paging the owner <@U0JANE>');
    const page = await waitUntil(
      async () =>
        ctx.fakes.pd.state.incidents.find((i) => i.title.includes('Kill switch for AI support bot')),
      (i) => i !== undefined,
    );
    // Assigned to the owner directly, not left to the escalation policy (Sam Lee first).
    expect(page?.assignments.map((a) => a.assignee.id)).toEqual([JANE.id]);
    expect(page?.assigned_via).toBe('direct_assignment');
    expect((await auditRows(ctx, 'ai-support-bot')).map((r) => r.result)).toEqual([
      'requested',
      'succeeded',
      'unverified',
    ]);
  });
});
