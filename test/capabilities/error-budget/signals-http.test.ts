// POST /signals over HTTP with alert intake's rules, the evaluation chain on the real queue
// (a burst of bad signals ends in a page, as in the sandbox), and /ai-budget from Slack.
import { describe, expect, it } from 'vitest';
import { catalogFile } from '../../support/catalog.ts';
import { ALERT_TOKEN, useRunningApp } from '../../support/harness.ts';
import { commandReply, replyText } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';

const ctx = useRunningApp({
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) => {
      t.defaults.error_budget.evaluate_every = '1s';
      t.defaults.error_budget.min_events = 20;
      delete t.defaults.error_budget.weekly_report;
    }),
  }),
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${ctx.app.url}/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const signal = (over: Record<string, unknown> = {}) => ({
  feature: 'ai-search-summaries',
  at: new Date().toISOString(),
  good: 90,
  bad: 1,
  kind: 'eval',
  ...over,
});

describe('POST /signals', () => {
  it('refuses strangers, non-JSON and oversized bodies before reading anything', async () => {
    expect((await post({}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('feature=x', { 'content-type': 'text/plain' })).status).toBe(415);
    const big = await post(JSON.stringify({ batch_id: 'x', pad: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
  });

  it.each([
    [
      { batch_id: 'b', signals: [signal(), signal({ good: -1 })] },
      'signals[1].good',
      'expected the number of good events, 0 or more',
    ],
    [
      { batch_id: 'b', signals: [signal({ feature: 'unrouted' })] },
      'signals[0].feature',
      '"unrouted" has no slo in the catalog',
    ],
    [
      { batch_id: 'b', signals: [signal({ feature: 'nope' })] },
      'signals[0].feature',
      'unknown feature "nope"',
    ],
    [{ batch_id: 'b', signals: [signal({ at: 'yesterday' })] }, 'signals[0].at', 'expected an ISO 8601 time'],
    [
      { batch_id: 'b', signals: [signal({ at: new Date(Date.now() + 3_600_000).toISOString() })] },
      'signals[0].at',
      'more than 5 minutes in the future',
    ],
    [
      { batch_id: 'b', signals: [signal({ kind: 'Thumbs Down' })] },
      'signals[0].kind',
      'expected a signal kind',
    ],
    [{ signals: [signal()] }, 'batch_id', 'expected a client batch id'],
    [{ batch_id: 'b', signals: [] }, 'signals', 'expected at least one signal'],
    [[], 'body', 'expected a JSON object with batch_id and signals'],
  ])('400 naming the field for %j', async (body, field, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; field: string; message: string };
    expect(answer.field).toBe(field);
    expect(answer.message).toContain(`${field}: `);
    expect(answer.message).toContain(message);
  });

  it('adds a batch once: 202 the first time, 200 and nothing added on a retry', async () => {
    const at = new Date(Date.now() - 120_000);
    const body = {
      batch_id: 'retried-batch',
      signals: [
        signal({ at: at.toISOString() }),
        signal({ at: at.toISOString(), kind: 'thumbs_down', good: 5, bad: 5 }),
      ],
    };
    const first = await post(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ batch_id: 'retried-batch', accepted: 2, duplicate: false });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ batch_id: 'retried-batch', accepted: 0, duplicate: true });
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    const rows = await ctx.database.query(
      'SELECT kind, good::int, bad::int FROM signal_minute WHERE minute = $1 ORDER BY kind',
      [minute],
    );
    expect(rows).toEqual([
      { kind: 'eval', good: 90, bad: 1 },
      { kind: 'thumbs_down', good: 5, bad: 5 },
    ]);
  });

  it('a burst of bad signals pages the owner through the evaluation job, with the numbers', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post({
        batch_id: `burst-${i}`,
        signals: [signal({ feature: 'ai-support-bot', good: 40, bad: 60 })],
      });
      expect(res.status).toBe(202);
    }
    const page = await ctx.fakes.slack.waitForMessage(
      (m) =>
        m.channel === 'C0ALERTS' &&
        m.text.includes('AI support bot: ') &&
        m.text.includes('budget burned in the last hour'),
      20_000,
    );
    expect(page.text).toMatch(/burn rate 30×\)\. Budget (left|exhausted)/);
    // The feature is named once, by its name: the title does not repeat its key.
    expect(page.text).not.toContain('ai-support-bot: ');
    const incidents = await ctx.database.query<{ title: string; page_state: string }>(
      "SELECT title, page_state FROM incident WHERE feature_key = 'ai-support-bot'",
    );
    expect(incidents).toHaveLength(1);
    await waitUntil(
      async () => ctx.fakes.pd.state.incidents.filter((i) => i.title.includes('AI support bot')).length,
      (n) => n === 1,
    );
  });
});

const budgetCommand = async (text: string, user = 'U0JANE'): Promise<string> =>
  replyText(await commandReply(ctx, '/ai-budget', text, { user }));

describe('/ai-budget', () => {
  it('lists every budget with its burn rates and the last 7 days', async () => {
    const reply = await budgetCommand('');
    expect(reply).toMatch(/^\*ai-support-bot\*: Budget (left: \d+%|exhausted \(\d+% used\))\. Burn 5m \d/m);
    expect(reply).toMatch(/^\*ai-search-summaries\*: Budget .*\. Burn 5m .* · 7 days `▁▁▁▁▁▁█`/m);
  });

  it('details one feature: policy, each rule and whether it fires', async () => {
    const reply = await budgetCommand('ai-support-bot');
    expect(reply).toContain(
      '*ai-support-bot*: SLO 98% good over 30 days (eval, guardrail, thumbs_down; when exhausted: freeze)',
    );
    expect(reply).toContain('• 1h/5m page above 14×: :rotating_light: firing');
    expect(reply).toContain('• 3d/6h ticket above 1×:');
    expect(reply).toMatch(/Last 7 days `[▁▂▃▄▅▆▇█]{7}`/);
  });

  it('names the features that have a budget when asked about one that has not', async () => {
    expect(await budgetCommand('unrouted')).toBe(
      '`unrouted` has no `slo` in the catalog. Features with an error budget: `ai-support-bot`, `ai-search-summaries`.',
    );
  });

  it('lets only the admin group override a freeze, and audits both', async () => {
    expect(await budgetCommand('override ai-support-bot model rolled back', 'U0JANE')).toBe(
      'Only members of <!subteam^S0ADMINS> may override a budget freeze. Nothing was changed.',
    );
    expect(await budgetCommand('override ai-support-bot model rolled back', 'U0SAM')).toContain(
      'Override recorded',
    );
    const audit = await ctx.database.query(
      "SELECT slack_user_id, result, reason FROM kill_switch_audit WHERE action = 'budget_override' ORDER BY id",
    );
    expect(audit).toEqual([
      { slack_user_id: 'U0JANE', result: 'refused', reason: 'model rolled back' },
      { slack_user_id: 'U0SAM', result: 'succeeded', reason: 'model rolled back' },
    ]);
    await expect(ctx.database.query('DELETE FROM budget_override')).rejects.toThrow(/append-only/);
  });
});
