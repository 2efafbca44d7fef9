// A week of history and then a day streamed minute by minute against a running Failsafe with a
// fake clock, evaluated once a simulated minute: a hand-off rate that doubles for 15 minutes
// pages once, within `for` + one evaluation of its onset, with its numbers and replay link in
// the page, the timeline and the postmortem, and resolves after `for` back in band; a daily
// rhythm (busy afternoons) does not page with the hour-of-week band; a metric with two days
// of history never fires, however far out, and /ai-watch says it is learning.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDraft } from '../../../src/capabilities/postmortem/draft.ts';
import { loadFacts } from '../../../src/capabilities/postmortem/load.ts';
import { watchChartPanels, watchChartSpec } from '../../../src/capabilities/quality-watch/chart-share.ts';
import { evaluateWatches, type WatchEvaluation } from '../../../src/capabilities/quality-watch/index.ts';
import type { Feature } from '../../../src/config/catalog.ts';
import { catalogFile } from '../../support/catalog.ts';
import { testClock } from '../../support/clock.ts';
import { useRunningApp } from '../../support/harness.ts';
import { commandReply, replyText } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';
import { addWatches, seedMinutes, storeMeasurements } from './helpers.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const START = Date.parse('2026-12-01T00:00:00Z'); // a Tuesday
const clock = testClock(START);
const ctx = useRunningApp({
  runtime: { clock },
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) =>
      addWatches(t, {
        handoff_rate: { band: 'learned', for: '10m', notify: 'page', label: 'hand-off rate', unit: 'ratio' },
        busy_share: { band: 'learned', for: '10m', notify: 'page', unit: 'ratio' },
        csat: { band: 'learned', for: '5m', notify: 'page' },
      }),
    ),
  }),
});

/** ±1.5 points of deterministic noise, different every minute. */
const noise = (t: number) => ((((t / MIN) * 7919) % 31) - 15) / 1000;
const hourOf = (t: number) => new Date(t).getUTCHours();
const handoff = (t: number) => 0.11 + noise(t);
/** Busy afternoons: twice the share from 12:00 to 18:00, every day. */
const busy = (t: number) => (hourOf(t) >= 12 && hourOf(t) < 18 ? 0.3 : 0.15) + noise(t);

const LIVE = START + 10 * 60 * MIN; // streamed from 10:00 to 17:00
const SPIKE = { from: START + (10 * 60 + 15) * MIN, minutes: 15 };
const REPLAY = { url: 'https://langfuse.example.com/trace/refund-1', label: 'low confidence refund answer' };
const HOSTILE = { url: 'https://langfuse.example.com/trace/x?<!here>', label: '<!here> *refund*' };
const changes: (WatchEvaluation['changes'][number] & { at: number })[] = [];

beforeAll(async () => {
  await seedMinutes(ctx.database, 'handoff_rate', LIVE - 7 * DAY, LIVE, handoff);
  await seedMinutes(ctx.database, 'busy_share', LIVE - 7 * DAY, LIVE, busy);
  await seedMinutes(ctx.database, 'csat', LIVE - 2 * DAY - 3 * 60 * MIN, LIVE, () => 4.5);
  for (let t = LIVE; t < LIVE + 7 * 60 * MIN; t += MIN) {
    clock.set(t + 30_000);
    const spiking = t >= SPIKE.from && t < SPIKE.from + SPIKE.minutes * MIN;
    const at = new Date(t + 30_000).toISOString();
    await storeMeasurements(ctx.app.deps, [
      {
        metric: 'handoff_rate',
        at,
        value: spiking ? 2 * handoff(t) : handoff(t),
        ...(t === SPIKE.from + 5 * MIN ? { examples: [REPLAY, HOSTILE] } : {}),
      },
      { metric: 'busy_share', at, value: busy(t) },
      // Far out of any band, but two days of history are not enough to know.
      { metric: 'csat', at, value: 1 },
    ]);
    clock.set(t + MIN + 1_000);
    const result = await evaluateWatches(ctx.app.deps);
    for (const c of result.changes) changes.push({ ...c, at: clock.ms });
  }
}, 300_000);

const incidents = () =>
  ctx.database.query<{ id: string; status: string; title: string }>(
    "SELECT id, status, title FROM incident WHERE feature_key = 'ai-support-bot'",
  );

describe('a doubled hand-off rate', () => {
  it('pages once, within for + one evaluation of its onset, with the numbers and the replay link', async () => {
    const fires = changes.filter((c) => c.metric === 'handoff_rate' && c.firing);
    expect(fires).toHaveLength(1);
    expect((fires[0]?.at ?? Infinity) - SPIKE.from).toBeLessThanOrEqual(10 * MIN + MIN + 1_000);
    const [incident] = await incidents();
    expect(incident?.title).toMatch(
      /^ai-support-bot: hand-off rate 2\d% for 10 min \(normal \d+(\.\d)?–\d+(\.\d)?% at this hour on Tuesdays\)\. Replay: low confidence refund answer; <!here> \*refund\*\.$/,
    );
    const page = await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && m.text.includes('hand-off rate'),
      20_000,
    );
    // Escaped: the hostile label cannot mention the channel; the link is the replay trace.
    expect(page.text).toContain('&lt;!here&gt; *refund*');
    expect(page.text).not.toContain('<!here>');
    expect(JSON.stringify(page.blocks)).toContain(`<${REPLAY.url}|Alert source>`);
    const pages = await waitUntil(
      async () => ctx.fakes.pd.state.incidents.filter((i) => i.title.includes('hand-off rate')),
      (list) => list.length > 0,
    );
    expect(pages).toHaveLength(1);
  });

  it('resolves once, after `for` back in band, and the timeline has both with their numbers', async () => {
    const recoveries = changes.filter((c) => c.metric === 'handoff_rate' && !c.firing);
    expect(recoveries).toHaveLength(1);
    const backAt = SPIKE.from + SPIKE.minutes * MIN;
    expect((recoveries[0]?.at ?? 0) - backAt).toBeGreaterThanOrEqual(10 * MIN);
    expect((recoveries[0]?.at ?? Infinity) - backAt).toBeLessThanOrEqual(11 * MIN + 1_000);
    const [incident] = await incidents();
    expect(incident?.status).toBe('resolved');
    const entries = await ctx.database.query<{ kind: string; text: string; data: Record<string, unknown> }>(
      "SELECT kind, text, data FROM timeline_entry WHERE incident_id = $1 AND kind LIKE 'watch.%' ORDER BY at",
      [incident?.id],
    );
    expect(entries.map((e) => e.kind)).toEqual(['watch.fired', 'watch.recovered']);
    expect(entries[0]?.data).toMatchObject({ metric: 'handoff_rate', links: [REPLAY, HOSTILE] });
    expect(entries[0]?.data.value).toBeGreaterThan(0.19);
    expect(entries[1]?.text).toMatch(
      /^ai-support-bot: hand-off rate back in band at \d+(\.\d)?% \(normal .*\), after \d+ min out\.$/,
    );
  });

  it('reaches the postmortem: the watch that caught it, and the replay links as evidence', async () => {
    const [row] = await incidents();
    const incident = await ctx.app.deps.db.incident.findUniqueOrThrow({ where: { id: row?.id ?? '' } });
    const draft = buildDraft(await loadFacts(ctx.app.deps, incident));
    expect(draft.body).toContain('**Caught by the quality watch `handoff_rate`:**');
    expect(draft.body).toContain(`[low confidence refund answer](${REPLAY.url})`);
    // The hostile link is percent-encoded and its label escaped, in both places.
    expect(draft.body).not.toContain('<!here>');
    expect(draft.body).toContain('- Replay links from the quality watches: [low confidence refund answer]');
  });
});

describe('a daily rhythm', () => {
  it('does not page with the hour-of-week band: busy afternoons are normal afternoons', () => {
    expect(changes.filter((c) => c.metric === 'busy_share')).toEqual([]);
  });
});

describe('too little history', () => {
  it('never fires, and /ai-watch says it is learning and how far', async () => {
    expect(changes.filter((c) => c.metric === 'csat')).toEqual([]);
    const reply = replyText(await commandReply(ctx, '/ai-watch', 'ai-support-bot', { user: 'U0JANE' }));
    expect(reply).toMatch(/^• csat: 1 · learning \(2 of 7 days\)/m);
    expect(reply).toMatch(
      /^• hand-off rate: \d+(\.\d)?% \(normal .* at this hour on Tuesdays\) · ok · 24 h `[▁-█ ]+`$/m,
    );
  });
});

describe('/ai-watch', () => {
  const watchCommand = async (text: string) =>
    replyText(await commandReply(ctx, '/ai-watch', text, { user: 'U0JANE' }));

  it('says what to type for an unknown feature, one without watches, or bad usage', async () => {
    expect(await watchCommand('<!here>')).toMatch(
      /^Unknown feature `&lt;!here&gt;`\. Features with quality watches: `ai-support-bot`\. `\/ai-watch \[feature\]`/,
    );
    expect(await watchCommand('ai-search-summaries')).toContain(
      '`ai-search-summaries` has no `watch` in the catalog',
    );
    expect(await watchCommand('ai-support-bot chart now')).toContain(
      'takes a feature, optionally followed by `chart`',
    );
  });

  it('lists every watched feature without an argument', async () => {
    const reply = await watchCommand('');
    expect(reply).toMatch(/^\*ai-support-bot\*$/m);
    expect(reply).toMatch(/^• busy share: \d+(\.\d)?% \(normal .* at this hour on Tuesdays\) · ok/m);
  });

  it('shares a 24 h chart of the feature with the band shaded, as a PNG', async () => {
    const reply = await watchCommand('ai-support-bot chart');
    expect(reply).toBe('Chart of `ai-support-bot` posted in this channel.');
    const calls = ctx.fakes.slack.state.calls;
    const url = calls.find(
      (c) => c.method === 'files.getUploadURLExternal' && c.args.filename === 'ai-support-bot-watches.png',
    );
    expect(Number(url?.args.length)).toBeGreaterThan(10_000);
    const shared = calls.filter((c) => c.method === 'files.completeUploadExternal');
    expect(shared.at(-1)?.args.channel_id).toBe('C0ALERTS');
    const spec = watchChartSpec(
      await watchChartPanels(
        ctx.app.deps,
        ctx.app.deps.catalog.featureByKey('ai-support-bot') as Feature,
        clock.now(),
      ),
      't',
    );
    const hand = spec.vconcat[0];
    expect(hand?.title).toMatch(/^hand-off rate \(normal .*%\)$/);
    // The band as a shaded rectangle under the line of minute means.
    expect(hand?.layer[0]).toMatchObject({ mark: { type: 'rect' } });
    const line = (hand?.layer[1]?.data.values ?? []) as unknown[];
    expect(line.length).toBeGreaterThan(400);
  });
});
