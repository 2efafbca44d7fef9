// A kill while Unleash is failing, with a token it refuses, and with two replicas behind the
// same Slack app: the flag flips once, the channel hears the truth, nothing claims success early.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { startApp } from '../../support/harness.ts';
import { lastView, postsIn } from '../../support/slack.ts';
import { sendSlackRequest, viewSubmissionBody } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';
import { auditRows, killCommand, submitKill, useKillSwitchApp } from './helpers.ts';

/** Answers the next `count` Admin API writes with `status` instead of asking Unleash. */
const inject = { status: 503, count: 0, writes: 0 };
const faultyFetch: typeof fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const write = url.includes('/api/admin/') && init?.method === 'POST';
  if (write && inject.count > 0) {
    inject.count -= 1;
    const headers: Record<string, string> = inject.status === 503 ? { 'retry-after': '1' } : {};
    return new Response(JSON.stringify({ message: 'injected' }), { status: inject.status, headers });
  }
  if (write) inject.writes += 1;
  return fetch(input, init);
};

const ctx = useKillSwitchApp({ runtime: { fetch: faultyFetch } });

const production = async (flag: string) =>
  (await ctx.unleash.flag(flag)).find((e) => e.name === 'production');
const turnOn = (flag: string) =>
  fetch(`${ctx.unleash.url}/api/admin/projects/default/features/${flag}/environments/production/on`, {
    method: 'POST',
    headers: { authorization: ctx.unleash.adminToken },
  });

describe('when Unleash answers 503', () => {
  it('says the kill is pending, retries with back-off, and flips once', async () => {
    inject.status = 503;
    inject.count = 2;
    inject.writes = 0;
    await killCommand(ctx, 'ai-support-bot provider outage');
    await submitKill(ctx, lastView(ctx), 'provider outage');
    const pending = await ctx.fakes.slack.waitForMessage((m) =>
      m.text.includes('Turning off *ai-support-bot*'),
    );
    expect(pending.text).toContain('is pending: Unleash answered HTTP 503');
    // Nothing claims success before Unleash confirmed it.
    expect(postsIn(ctx, 'C0ALERTS', 'is OFF in production')).toHaveLength(0);
    await ctx.fakes.slack.waitForMessage((m) => m.text.includes('(Jane Doe: provider outage)'), 30_000);
    expect((await production('ai-support-bot'))?.enabled).toBe(false);
    expect(inject.writes).toBe(1);
    expect(postsIn(ctx, 'C0ALERTS', 'Turning off *ai-support-bot*')).toHaveLength(1);
    const results = (await auditRows(ctx, 'ai-support-bot')).map((r) => r.result);
    expect(results.filter((r) => r === 'pending').length).toBeGreaterThanOrEqual(1);
    expect(results.slice(-2)).toEqual(['succeeded', 'confirmed']);
  });
});

describe('when Unleash refuses the admin token', () => {
  it('names the token, does not retry, and says the feature is still on', async () => {
    await turnOn('ai-support-bot');
    inject.status = 401;
    inject.count = 1;
    await killCommand(ctx, 'ai-support-bot token test');
    await submitKill(ctx, lastView(ctx), 'token test');
    const failed = await ctx.fakes.slack.waitForMessage((m) =>
      m.text.includes('Could not turn off *ai-support-bot*'),
    );
    expect(failed.text).toContain('Unleash refused the admin token (UNLEASH_ADMIN_TOKEN, HTTP 401)');
    expect(failed.text).toContain('the feature is still ON');
    expect((await production('ai-support-bot'))?.enabled).toBe(true);
    expect((await auditRows(ctx, 'ai-support-bot')).at(-1)).toMatchObject({
      result: 'failed',
      unleash_status: 401,
    });
  });
});

describe('two replicas', () => {
  let second: Running;
  beforeAll(async () => {
    // Both replicas count their Unleash writes through the same fetch.
    second = await startApp(
      ctx.database.url,
      ctx.fakes,
      {
        UNLEASH_URL: ctx.unleash.url,
        UNLEASH_ADMIN_TOKEN: ctx.unleash.adminToken,
        UNLEASH_CLIENT_TOKEN: ctx.unleash.clientTokens,
      },
      { fetch: faultyFetch },
    );
  });
  afterAll(async () => {
    await second?.stop();
  });

  it('flip once and post once when both get the same submission', async () => {
    inject.count = 0;
    inject.writes = 0;
    expect((await production('ai-search-summaries'))?.enabled).toBe(true);
    await killCommand(ctx, 'ai-search-summaries summaries leak PII', 'U0ANA');
    const view = lastView(ctx);
    const body = viewSubmissionBody({
      view: { id: view.id, ...view.view },
      values: { reason: { reason_input: 'summaries leak PII' } },
      user_id: 'U0ANA',
    });
    const answers = await Promise.all(
      [ctx.app.url, second.url].map((url) => sendSlackRequest(`${url}/slack/events`, body)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await ctx.fakes.slack.waitForMessage((m) =>
      m.text.includes('*ai-search-summaries* is OFF in production'),
    );
    const ops = await waitUntil(
      () =>
        ctx.database.query<{ state: string }>(
          "SELECT state FROM flag_operation WHERE feature_key = 'ai-search-summaries'",
        ),
      (rows) => rows.every((r) => r.state === 'confirmed'),
    );
    expect(ops).toHaveLength(1);
    expect(inject.writes).toBe(1);
    expect(postsIn(ctx, 'C0ALERTS', '*ai-search-summaries* is OFF in production')).toHaveLength(1);
  });
});
