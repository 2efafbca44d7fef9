// The workbook's numbers as tables, and the window arithmetic as properties against a
// brute-force reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketStart,
  budgetConsumed,
  budgetLeft,
  burnRate,
  burnRateFor,
  isExhausted,
  judgeRule,
  resolutionOf,
  windowBounds,
} from '../../../src/capabilities/error-budget/math.ts';
import { burnSummary, percent, rate, sparkline } from '../../../src/capabilities/error-budget/messages.ts';
import type { BurnRule, Slo } from '../../../src/config/catalog.ts';

const H = 3600;
const D = 86_400;
const rule = (longSeconds: number, shortSeconds: number, burn: number): BurnRule => ({
  name: 'r',
  longSeconds,
  shortSeconds,
  burnRate: burn,
  notify: 'page',
});
const slo = (target: number, minEvents = 0): Slo => ({
  target,
  periodSeconds: 30 * D,
  kinds: null,
  onExhausted: 'page',
  minEvents,
  burnAlerts: [],
});

describe('the SRE workbook examples (30-day SLO)', () => {
  // [share of the budget, in this window, is this burn rate]
  it.each([
    [0.02, 1 * H, 14.4],
    [0.05, 6 * H, 6],
    [0.1, 3 * D, 1],
    [1, 30 * D, 1],
    [0.02, 5 * 60, 172.8],
  ])('%d of the budget in %d s is a burn rate of %d', (share, window, expected) => {
    expect(burnRateFor(share, window, 30 * D)).toBeCloseTo(expected, 10);
    expect(budgetConsumed(expected, window, 30 * D)).toBeCloseTo(share, 10);
  });

  // [SLO, good, bad, burn rate]
  it.each([
    [0.999, 9856, 144, 14.4],
    [0.999, 0, 1000, 1000],
    [0.98, 98, 2, 1],
    [0.98, 56, 44, 22],
    [0.99, 1000, 0, 0],
    [0.99, 0, 0, 0],
  ])('SLO %d with %d good and %d bad burns at %d×', (target, good, bad, expected) => {
    expect(burnRate({ good, bad }, target)).toBeCloseTo(expected, 9);
  });

  it('a 100% error rate at 99.9% trips the 1 h/14.4× alert after 0.0144 h (52 s) of the long window', () => {
    // Detection time = (1 − SLO) × window × threshold / error rate (workbook table 5-3).
    const minutes = ((1 - 0.999) * 60 * 14.4) / 1;
    expect(minutes * 60).toBeCloseTo(51.84, 6);
    const before = judgeRule(
      rule(H, 300, 14.4),
      slo(0.999),
      { long: { good: 6000 - 14, bad: 14 }, short: { good: 0, bad: 14 } },
      false,
    );
    const after = judgeRule(
      rule(H, 300, 14.4),
      slo(0.999),
      { long: { good: 6000 - 87, bad: 87 }, short: { good: 0, bad: 87 } },
      false,
    );
    expect(before.firing).toBe(false);
    expect(after.firing).toBe(true);
  });

  it('says it the way the page says it', () => {
    expect(burnSummary(slo(0.98), rule(H, 300, 14.4), 22, 0.61)).toBe(
      '3.1% of the 30-day budget burned in the last hour (burn rate 22×). Budget left: 61%.',
    );
    expect(burnSummary(slo(0.98), rule(6 * H, 1800, 6), 6.46, -0.12)).toBe(
      '5.4% of the 30-day budget burned in the last 6 hours (burn rate 6.5×). Budget exhausted (112% used).',
    );
    expect([percent(0.0306), percent(0.61), percent(0), rate(14.4), rate(1)]).toEqual([
      '3.1%',
      '61%',
      '0%',
      '14×',
      '1×',
    ]);
    expect(sparkline([0, 1, 2, 4, 8, 0, 8])).toBe('▁▁▂▄█▁█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });

  it('budget left and exhaustion', () => {
    expect(budgetLeft({ good: 99, bad: 1 }, 0.98)).toBeCloseTo(0.5, 9);
    expect(isExhausted(slo(0.98, 100), { good: 97, bad: 3 })).toBe(true);
    expect(isExhausted(slo(0.98, 100), { good: 48, bad: 2 })).toBe(false); // too few events to judge
    expect(isExhausted(slo(0.98, 0), { good: 0, bad: 0 })).toBe(false);
  });
});

// Brute force: an event at t is in the window of W seconds at `now` when it falls in
// [floor(now) + r − W, floor(now) + r), r being the window's bucket size. No buckets involved.
function bruteForce(events: { at: number; good: number; bad: number }[], now: number, window: number) {
  const r = resolutionOf(window) * 1000;
  const end = Math.floor(now / r) * r + r;
  const start = end - window * 1000;
  return events
    .filter((e) => e.at >= start && e.at < end)
    .reduce((a, e) => ({ good: a.good + e.good, bad: a.bad + e.bad }), { good: 0, bad: 0 });
}

/** What the SQL does: bucket the events, then sum the buckets within windowBounds. */
function viaBuckets(events: { at: number; good: number; bad: number }[], now: number, window: number) {
  const r = resolutionOf(window);
  const buckets = new Map<number, { good: number; bad: number }>();
  for (const e of events) {
    const b = bucketStart(e.at, r);
    const prev = buckets.get(b) ?? { good: 0, bad: 0 };
    buckets.set(b, { good: prev.good + e.good, bad: prev.bad + e.bad });
  }
  const { from, to } = windowBounds(now, window);
  let sum = { good: 0, bad: 0 };
  for (const [b, c] of buckets)
    if (b > from && b <= to) sum = { good: sum.good + c.good, bad: sum.bad + c.bad };
  return sum;
}

const T0 = Date.parse('2026-11-01T00:00:00Z');
const WINDOWS = [60, 300, 1800, 3600, 6 * H, 23 * H, D, 3 * D, 30 * D];
const eventArb = fc.record({
  at: fc.integer({ min: T0 - 31 * D * 1000, max: T0 + 1000 }),
  good: fc.nat({ max: 1000 }),
  bad: fc.nat({ max: 1000 }),
});

describe('window sums (properties)', () => {
  it('bucketed windows equal the brute-force sum over raw events', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 200 }),
        fc.integer({ min: T0 - D * 1000, max: T0 }),
        fc.constantFrom(...WINDOWS),
        (events, now, w) => {
          expect(viaBuckets(events, now, w)).toEqual(bruteForce(events, now, w));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a longer window of the same resolution never holds fewer events', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 100 }),
        fc.integer({ min: T0 - D * 1000, max: T0 }),
        (events, now) => {
          const sums = [60, 300, 3600, 6 * H].map((w) => viaBuckets(events, now, w));
          for (let i = 1; i < sums.length; i++) {
            expect(sums[i]?.good).toBeGreaterThanOrEqual(sums[i - 1]?.good ?? 0);
            expect(sums[i]?.bad).toBeGreaterThanOrEqual(sums[i - 1]?.bad ?? 0);
          }
        },
      ),
    );
  });
});

const counts = fc.record({ good: fc.nat({ max: 100_000 }), bad: fc.nat({ max: 100_000 }) });
const target = fc.constantFrom(0.9, 0.98, 0.99, 0.995, 0.999);
const threshold = fc.constantFrom(1, 6, 14.4);

describe('judgeRule (properties)', () => {
  it('fires from quiet only when both windows burn faster than the threshold over enough events', () => {
    fc.assert(
      fc.property(counts, counts, target, threshold, fc.nat({ max: 500 }), (long, short, t, th, min) => {
        const v = judgeRule(rule(H, 300, th), slo(t, min), { long, short }, false);
        const expected = short.good + short.bad >= min && burnRate(long, t) > th && burnRate(short, t) > th;
        expect(v.firing).toBe(expected);
      }),
    );
  });

  it('once firing, stops exactly when the short window drops to the threshold', () => {
    fc.assert(
      fc.property(counts, counts, target, threshold, fc.nat({ max: 500 }), (long, short, t, th, min) => {
        const v = judgeRule(rule(H, 300, th), slo(t, min), { long, short }, true);
        expect(v.firing).toBe(burnRate(short, t) > th);
      }),
    );
  });

  it('more bad events never silence an alert that would fire', () => {
    fc.assert(
      fc.property(counts, counts, fc.nat({ max: 1000 }), target, threshold, (long, short, extra, t, th) => {
        const r = rule(H, 300, th);
        const before = judgeRule(r, slo(t, 0), { long, short }, false).firing;
        const more = {
          long: { ...long, bad: long.bad + extra },
          short: { ...short, bad: short.bad + extra },
        };
        if (before) expect(judgeRule(r, slo(t, 0), more, false).firing).toBe(true);
      }),
    );
  });

  it('burn rate and budget share convert both ways', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        fc.constantFrom(...WINDOWS),
        (share, w) => {
          expect(budgetConsumed(burnRateFor(share, w, 30 * D), w, 30 * D)).toBeCloseTo(share, 9);
        },
      ),
    );
  });
});
