// A burn alert that joins an open incident pages nobody, so it says so where the incident's
// people are: one line with its numbers in the incident's thread, once per firing episode,
// however many evaluations see it still firing.
import { describe, expect, it } from 'vitest';
import { evaluateBudgets } from '../../../src/capabilities/error-budget/index.ts';
import { catalogFile } from '../../support/catalog.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { waitUntil } from '../../support/wait.ts';
import { storeSignals } from './helpers.ts';

const ctx = useRunningApp({
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) => {
      // Evaluated by the test alone: a background cycle would race it for the transition.
      t.defaults.error_budget.evaluate_every = '1h';
      delete t.defaults.error_budget.weekly_report;
    }),
  }),
});

describe('a burn alert joining an open incident', () => {
  it('posts one line with its numbers in the incident thread, not one per evaluation', async () => {
    expect((await postAlert(ctx.app, 'generic', genericAlert('join-1', 'ai-search-summaries'))).status).toBe(
      202,
    );
    const [incident] = await waitUntil(
      () =>
        ctx.database.query<{ id: string; number: number; slack_ts: string | null; slack_channel: string }>(
          "SELECT id, number, slack_ts, slack_channel FROM incident WHERE feature_key = 'ai-search-summaries'",
        ),
      (rows) => rows[0]?.slack_ts != null,
      { what: 'the incident message' },
    );
    await storeSignals(ctx.app.deps, [{ feature: 'ai-search-summaries', good: 40, bad: 60 }]);
    const first = await evaluateBudgets(ctx.app.deps);
    expect(first.changes).toContainEqual({ feature: 'ai-search-summaries', rule: '1h/5m', firing: true });
    await evaluateBudgets(ctx.app.deps);
    await evaluateBudgets(ctx.app.deps);
    await waitForQueueIdle(ctx);

    const lines = ctx.fakes.slack.state.calls.filter(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('joined incident'),
    );
    const rules = lines.map((c) => /the (\S+) burn rule/.exec(String(c.args.text))?.[1]);
    // One request per rule that started firing (the 1h and the 6h page rules here), none repeated.
    expect(new Set(rules).size).toBe(rules.length);
    expect(rules).toContain('1h/5m');
    const line = lines.find((c) => String(c.args.text).includes('1h/5m'));
    expect(line?.args.thread_ts).toBe(incident?.slack_ts);
    expect(line?.args.channel).toBe(incident?.slack_channel);
    expect(String(line?.args.text)).toContain(`joined incident #${incident?.number}`);
    expect(String(line?.args.text)).toMatch(/burned in the last hour \(burn rate 60×\)/);
    // Joined, so no second page.
    const pages = ctx.fakes.pd.state.requests.filter((r) => r.method === 'POST' && r.path === '/incidents');
    expect(pages).toHaveLength(1);
  });
});
