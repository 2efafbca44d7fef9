// A slow drift: a confidence histogram steady for a week, then sliding over the next 7 days
// from mostly confident to mostly unsure, a little every hour, so no single hour looks like a
// jump. Evaluated every simulated hour, the PSI watch (1 h window against the 7 days before)
// fires once during the slide, and not while it is still learning or steady.
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateWatches, type WatchEvaluation } from '../../../src/capabilities/quality-watch/index.ts';
import { catalogFile } from '../../support/catalog.ts';
import { testClock } from '../../support/clock.ts';
import { useRunningApp } from '../../support/harness.ts';
import { addWatches, seedMinutes } from './helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-11-17T00:00:00Z');
const clock = testClock(START);
const ctx = useRunningApp({
  runtime: { clock },
  extra: async () => ({
    FAILSAFE_CONFIG: await catalogFile((t) =>
      addWatches(t, {
        confidence: { drift: 'psi', threshold: 0.2, window: '1h', baseline: '7d', notify: 'page' },
      }),
    ),
  }),
});

/** Share of answers under 0.5, 0.5–0.8 and over 0.8 confidence at time t. */
function shares(t: number): [number, number, number] {
  const slide = Math.min(1, Math.max(0, (t - START - 7 * DAY) / (7 * DAY)));
  return [0.1 + 0.5 * slide, 0.4 - 0.1 * slide, 0.5 - 0.4 * slide];
}
const buckets = (t: number) => {
  const [low, mid, high] = shares(t).map((s) => Math.round(s * 100));
  return { '0.5': low as number, '0.8': mid as number, '1': high as number };
};

const changes: (WatchEvaluation['changes'][number] & { at: number })[] = [];
const psiAt: { at: number; value: number | null }[] = [];

beforeAll(async () => {
  await seedMinutes(ctx.database, 'confidence', START, START + 14 * DAY, () => 0.7, buckets);
  for (let t = START + 6 * DAY; t <= START + 14 * DAY; t += HOUR) {
    clock.set(t + 1_000);
    const result = await evaluateWatches(ctx.app.deps);
    for (const c of result.changes) changes.push({ ...c, at: t });
    const [state] = await ctx.database.query<{ value: number | null }>('SELECT value FROM watch_state');
    psiAt.push({ at: t, value: state?.value ?? null });
  }
}, 300_000);

describe('a slow drift over 7 days', () => {
  it('is caught by PSI once, during the slide, and pages', async () => {
    const fires = changes.filter((c) => c.firing);
    expect(fires).toHaveLength(1);
    const at = fires[0]?.at ?? 0;
    expect(at).toBeGreaterThan(START + 8 * DAY);
    expect(at).toBeLessThan(START + 14 * DAY);
    const [incident] = await ctx.database.query<{ title: string }>(
      "SELECT title FROM incident WHERE feature_key = 'ai-support-bot'",
    );
    expect(incident?.title).toMatch(
      /^ai-support-bot: confidence distribution shifted, PSI 0\.2\d over the last 60 min against the 7 days before \(threshold 0\.2\) for \d+ min\.$/,
    );
  });

  it('no single hour looked like a jump: the score rose a little at a time', () => {
    const values = psiAt.map((p) => p.value).filter((v): v is number => v !== null);
    const steps = values.slice(1).map((v, i) => Math.abs(v - (values[i] as number)));
    expect(Math.max(...steps)).toBeLessThan(0.05);
  });
});
