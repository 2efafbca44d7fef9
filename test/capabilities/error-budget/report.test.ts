// The weekly report: its numbers against a hand computation, the chart as a PNG of the
// expected size, and the report going out once per slot as the chart with the numbers (the
// upload steps themselves are tested with the adapter, test/adapters/slack-files.test.ts).
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  PNG_SCALE,
  renderChartPng,
} from '../../../src/capabilities/error-budget/chart.ts';
import {
  chartBars,
  featureLine,
  postWeeklyReport,
  reportText,
} from '../../../src/capabilities/error-budget/report.ts';
import { weekReport } from '../../../src/capabilities/error-budget/report-data.ts';
import { lastReportSlot } from '../../../src/capabilities/error-budget/report-schedule.ts';
import { testClock } from '../../support/clock.ts';
import { useRunningApp } from '../../support/harness.ts';

const END = Date.parse('2026-11-16T09:00:00Z'); // a Monday, 09:00 in Europe/London
const DAY = 86_400_000;
const clock = testClock(END);
const ctx = useRunningApp({ runtime: { clock } });

async function seed() {
  const days: [number, number][] = [
    [1000, 0],
    [990, 10],
    [980, 20],
    [1000, 0],
    [1000, 0],
    [1000, 0],
    [1000, 0],
  ];
  for (const [i, [good, bad]] of days.entries()) {
    // Spread over the day's 24 hours, one row per hour; any kind not counted is ignored.
    await ctx.database.query(
      `INSERT INTO signal_hour (feature_key, hour, kind, good, bad)
       SELECT 'ai-support-bot', $1::timestamptz + n * interval '1 hour', 'eval',
              CASE WHEN n = 0 THEN $2 ELSE 0 END, CASE WHEN n = 23 THEN $3 ELSE 0 END
       FROM generate_series(0, 23) AS n
       UNION ALL SELECT 'ai-support-bot', $1::timestamptz, 'latency_slo', 5000, 5000`,
      [new Date(END - (7 - i) * DAY), good, bad],
    );
  }
  const incident = (n: number, opened: number, ackAfterS: number | null) =>
    ctx.database.query(
      `INSERT INTO incident (id, feature_key, severity, title, pd_dedup_key, opened_at, acknowledged_at)
       VALUES (gen_random_uuid(), 'ai-support-bot', 'critical', $1, $1, $2, $3)`,
      [`report-${n}`, new Date(opened), ackAfterS === null ? null : new Date(opened + ackAfterS * 1000)],
    );
  await incident(1, END - 3 * DAY, 120);
  await incident(2, END - 2 * DAY, 300);
  await incident(3, END - 8 * DAY, 10); // the week before: not counted
  await ctx.database.query(
    `INSERT INTO flag_operation (id, request_key, kind, feature_key, project, flag, environment, requested_by,
                                 requested_by_name, reason, channel, steps, created_at)
     VALUES (gen_random_uuid(), 'report-kill', 'kill', 'ai-support-bot', 'default', 'ai-support-bot', 'production',
             'U0JANE', 'Jane Doe', 'bad answers', 'C0ALERTS', '{}', $1)`,
    [new Date(END - DAY)],
  );
}

describe('the weekly report', () => {
  it('has the numbers a hand computation gives', async () => {
    await seed();
    const report = await weekReport(ctx.app.deps, new Date(END));
    const bot = report.features.find((f) => f.feature === 'ai-support-bot');
    // 98% SLO: 2% of events may be bad. Week: 30 bad of 7,000 → 0.4286% → 0.2143× → × 7/30 days.
    expect(bot?.week).toEqual({ good: 6970, bad: 30 });
    expect(bot?.burned).toBeCloseTo((30 / 7000 / 0.02) * (7 / 30), 12);
    expect(bot?.burned).toBeCloseTo(0.05, 12);
    // Day 1: 1% bad → 0.5× → 1/60 of the budget; day 2: 2% → 1× → 1/30.
    expect(bot?.dailyBurned.map((d) => Number(d.toFixed(6)))).toEqual([0, 0.016667, 0.033333, 0, 0, 0, 0]);
    expect(bot?.left).toBeCloseTo(1 - 30 / 7000 / 0.02, 12);
    expect(bot).toMatchObject({ incidents: 2, kills: 1, medianAckSeconds: 210 });
    const search = report.features.find((f) => f.feature === 'ai-search-summaries');
    expect(search).toMatchObject({ burned: 0, left: 1, incidents: 0, kills: 0, medianAckSeconds: null });
    expect(featureLine(bot as NonNullable<typeof bot>)).toBe(
      '• *ai-support-bot* (SLO 98% over 30 days): 5% of the budget burned this week, 79% left · 2 incidents · ' +
        '1 kill · 4 min to acknowledge (median)\n    daily burn `▁▄█▁▁▁▁`',
    );
    expect(reportText(report, 'Europe/London')).toMatch(
      /^\*Error budgets, week to Mon 16 Nov 09:00\* \(Europe\/London\)\n/,
    );
    expect(
      chartBars(report, 'Europe/London')
        .filter((b) => b.feature === 'ai-support-bot')
        .map((b) => b.day),
    ).toEqual(['Mon 9', 'Tue 10', 'Wed 11', 'Thu 12', 'Fri 13', 'Sat 14', 'Sun 15']);
  });

  it('renders the chart as a PNG that decodes to the expected size', async () => {
    const report = await weekReport(ctx.app.deps, new Date(END));
    const png = await renderChartPng(chartBars(report, 'Europe/London'), 'Daily error-budget burn');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = decode(png);
    expect([image.width, image.height]).toEqual([CHART_WIDTH * PNG_SCALE, CHART_HEIGHT * PNG_SCALE]);
    // Something is drawn: plenty of pixels are neither white nor transparent.
    let inked = 0;
    for (let i = 0; i < image.data.length; i += image.channels)
      if ((image.data[i] as number) < 200 || (image.data[i + 2] as number) < 200) inked++;
    expect(inked).toBeGreaterThan(1000);
  });

  it('finds the slot in the configured time zone', () => {
    const at = (iso: string) =>
      lastReportSlot(new Date(iso), 'monday', '09:00', 'America/New_York').toISOString();
    expect(at('2026-11-16T14:00:00Z')).toBe('2026-11-16T14:00:00.000Z');
    expect(at('2026-11-16T13:59:00Z')).toBe('2026-11-09T14:00:00.000Z');
    expect(at('2026-11-03T12:00:00Z')).toBe('2026-11-02T14:00:00.000Z'); // after the DST change
  });

  it('is posted once per slot, as the chart with the numbers as its comment', async () => {
    const channel = ctx.app.deps.catalog.catalog.defaults.errorBudget.weeklyReport?.channel as string;
    // Two replicas at once: one posts, the other finds it busy (its job retries later)…
    const both = await Promise.allSettled([1, 2].map(() => postWeeklyReport(ctx.app.deps, new Date(END))));
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // …and then finds it done.
    await postWeeklyReport(ctx.app.deps, new Date(END));
    const calls = ctx.fakes.slack.state.calls;
    const urls = calls.filter((c) => c.method === 'files.getUploadURLExternal');
    expect(urls.map((c) => c.args.filename)).toEqual(['error-budgets-2026-11-16.png']);
    expect(Number(urls[0]?.args.length)).toBeGreaterThan(10_000);
    const shared = calls.filter((c) => c.method === 'files.completeUploadExternal');
    expect(shared).toHaveLength(1);
    expect(shared[0]?.response?.body).toMatchObject({ ok: true });
    expect(shared[0]?.args.channel_id).toBe(channel);
    expect(String(shared[0]?.args.initial_comment)).toMatch(/^\*Error budgets, week to Mon 16 Nov 09:00\*/);
    expect(
      calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('Error budgets')),
    ).toEqual([]);
  });

  it('still gets the numbers out when Slack refuses the file', async () => {
    const slot = new Date(END + 7 * DAY);
    ctx.fakes.slack.controls.failNext(1, {
      method: 'files.getUploadURLExternal',
      error: 'file_uploads_disabled',
    });
    await postWeeklyReport(ctx.app.deps, slot);
    const post = await ctx.fakes.slack.waitForMessage((m) =>
      m.text.includes('*Error budgets, week to Mon 23 Nov 09:00*'),
    );
    expect(post.channel).toBe('C0STAKE');
    expect(post.text).toContain(
      '_(The chart could not be attached: Slack refused files.getUploadURLExternal',
    );
    expect(post.text).toContain('file_uploads_disabled');
  });
});
