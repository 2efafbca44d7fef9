// Three simulated days of signals against a running Failsafe with a fake clock, evaluated
// once a simulated minute: a fast burn pages within 5 minutes of its onset, once, and the
// incident resolves after recovery; a one-off 5-minute spike does not page; neither does a
// feature with too little traffic to judge, however bad its answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Evaluation, evaluateBudgets } from '../../../src/capabilities/error-budget/evaluate.ts';
import { catalogFile } from '../../support/catalog.ts';
import { testClock } from '../../support/clock.ts';
import { useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';
import { seedHours, storeSignals } from './helpers.ts';

const START = Date.parse('2026-11-02T00:00:00Z');
const MIN = 60_000;
const clock = testClock(START);
const ctx = useRunningApp({
  runtime: { clock },
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) => {
      t.features[0].slo = { target: '99.9%', kinds: ['eval'] };
      t.features[1].slo = { target: '99.9%', kinds: ['eval'] };
      t.features.push({
        key: 'ai-tiny',
        name: 'Tiny AI feature',
        owner: { slack: 'U0ANA', email: 'ana@example.com' },
        pagerduty: { service: 'PSVC2' },
        slack: { alerts_channel: 'C0ALERTS' },
        slo: { target: '99.9%', on_exhausted: 'freeze' },
      });
    }),
  }),
});

const FAST_BURN = { from: START + (24 * 60 + 600) * MIN, minutes: 20 }; // day 2, 10:00, 50% bad
const SPIKE = { from: START + (2 * 24 * 60 + 840) * MIN, minutes: 5 }; // day 3, 14:00, 10% bad
const within = (t: number, w: { from: number; minutes: number }) =>
  t >= w.from && t < w.from + w.minutes * MIN;

/** 200 events a minute, one bad in every 25 minutes (0.2× burn), unless a burst is on. */
function minuteOf(m: number, t: number) {
  const base = { good: m % 25 === 0 ? 199 : 200, bad: m % 25 === 0 ? 1 : 0 };
  return [
    { feature: 'ai-support-bot', ...(within(t, FAST_BURN) ? { good: 100, bad: 100 } : base) },
    { feature: 'ai-search-summaries', ...(within(t, SPIKE) ? { good: 180, bad: 20 } : base) },
    { feature: 'ai-tiny', good: 1, bad: 1 },
  ].map((s) => ({ ...s, at: t + 30_000 }));
}

const changes: (Evaluation['changes'][number] & { at: number })[] = [];

beforeAll(async () => {
  // 27 clean days before the stream, so the 30-day budget is not judged on three days alone.
  for (const feature of ['ai-support-bot', 'ai-search-summaries'])
    await seedHours(ctx.database, feature, START - 27 * 86_400_000, START, 12_000);
  for (let m = 0; m < 3 * 24 * 60; m++) {
    const t = START + m * MIN;
    clock.set(t + 59_000);
    await storeSignals(ctx.app.deps, minuteOf(m, t), `sim-${m}`);
    const result = await evaluateBudgets(ctx.app.deps);
    for (const c of result.changes) changes.push({ ...c, at: clock.ms });
  }
}, 300_000);

const of = (feature: string) => changes.filter((c) => c.feature === feature);
const incidents = (feature: string) =>
  ctx.database.query<{ status: string; title: string }>(
    'SELECT status, title FROM incident WHERE feature_key = $1',
    [feature],
  );

describe('a three-day signal stream', () => {
  it('pages for a fast burn within 5 minutes of its onset', async () => {
    const first = of('ai-support-bot').find((c) => c.rule === '1h/5m' && c.firing);
    expect(first).toBeDefined();
    expect((first?.at ?? Infinity) - FAST_BURN.from).toBeLessThanOrEqual(5 * MIN);
    const [incident] = await incidents('ai-support-bot');
    expect(incident?.title).toMatch(
      /^\d+(\.\d)?% of the 30-day budget burned in the last hour \(burn rate \d+×\)\. Budget left: \d+%\.$/,
    );
    const pages = await waitUntil(
      async () => ctx.fakes.pd.state.incidents.filter((i) => i.title.includes('AI support bot')),
      (list) => list.length > 0,
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]?.title).toContain('burned in the last hour');
  });

  it('stops after recovery: each rule fires and resolves once, and the incident resolves', async () => {
    const pageRules = of('ai-support-bot').filter((c) => c.rule !== '3d/6h' && c.rule !== 'budget');
    expect(pageRules.map((c) => `${c.rule} ${c.firing ? 'firing' : 'resolved'}`)).toEqual([
      '1h/5m firing',
      '6h/30m firing',
      '1h/5m resolved',
      '6h/30m resolved',
    ]);
    const resolved = pageRules.filter((c) => !c.firing).map((c) => c.at);
    // The short windows clear within their length of the burn's end.
    expect((resolved[0] as number) - (FAST_BURN.from + FAST_BURN.minutes * MIN)).toBeLessThanOrEqual(6 * MIN);
    expect((resolved[1] as number) - (FAST_BURN.from + FAST_BURN.minutes * MIN)).toBeLessThanOrEqual(
      31 * MIN,
    );
    expect((await incidents('ai-support-bot')).map((i) => i.status)).toEqual(['resolved']);
    expect(ctx.fakes.pd.state.incidents.filter((i) => i.title.includes('AI support bot'))).toHaveLength(1);
  });

  it('does not page for a one-off 5-minute spike', async () => {
    expect(of('ai-search-summaries').filter((c) => c.rule === '1h/5m' || c.rule === '6h/30m')).toEqual([]);
    expect(await incidents('ai-search-summaries')).toEqual([]);
  });

  it('does not page on too little traffic, though the budget is gone', async () => {
    expect(of('ai-tiny').filter((c) => c.rule === '1h/5m' || c.rule === '6h/30m')).toEqual([]);
    expect(await incidents('ai-tiny')).toEqual([]);
    // Exhausted, with policy freeze: said in Slack, nobody woken.
    expect(of('ai-tiny').find((c) => c.rule === 'budget')?.firing).toBe(true);
    expect(
      ctx.fakes.slack.controls
        .messagesIn('C0ALERTS')
        .some((m) => m.text.includes('*ai-tiny*: the 30-day error budget is exhausted')),
    ).toBe(true);
    expect(ctx.fakes.pd.state.incidents.filter((i) => i.title.includes('Tiny'))).toEqual([]);
  });
});
