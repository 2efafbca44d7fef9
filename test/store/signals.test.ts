// Signals in the database: the SQL window sums against a brute-force sum over the raw events
// (fast-check), idempotent batches, and concurrent batches that add up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSignalBatch } from '../../src/capabilities/error-budget/signals.ts';
import { readDailyCounts, readWindowTotals } from '../../src/capabilities/error-budget/totals.ts';
import { loadCatalog } from '../../src/config/catalog.ts';
import { storeSignalBatch } from '../../src/store/signals.ts';
import { useDatabase } from '../support/database.ts';
import { EXAMPLE_CATALOG } from '../support/harness.ts';

const ctx = useDatabase({ poolSize: 4 });
const catalog = await loadCatalog(EXAMPLE_CATALOG);
const FEATURE = { key: 'ai-support-bot', kinds: ['eval', 'guardrail', 'thumbs_down'] };
const H = 3_600;
const D = 86_400;
const WINDOWS = [60, 300, 1800, H, 6 * H, D, 3 * D, 30 * D];

interface Event {
  at: number;
  kind: string;
  good: number;
  bad: number;
}

/** The same rule as math.test.ts: [floor(now) + r − W, floor(now) + r) for bucket size r. */
function bruteForce(events: Event[], now: number, window: number) {
  const r = (window >= D ? H : 60) * 1000;
  const end = Math.floor(now / r) * r + r;
  return events
    .filter((e) => FEATURE.kinds.includes(e.kind) && e.at >= end - window * 1000 && e.at < end)
    .reduce((a, e) => ({ good: a.good + e.good, bad: a.bad + e.bad }), { good: 0, bad: 0 });
}

function batchOf(id: string, events: Event[], now: number) {
  const body = {
    batch_id: id,
    signals: events.map((e) => ({
      feature: FEATURE.key,
      kind: e.kind,
      good: e.good,
      bad: e.bad,
      at: new Date(e.at).toISOString(),
    })),
  };
  const parsed = parseSignalBatch(body, catalog, new Date(now));
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.message}`);
  return { batch: parsed.batch, body };
}

let run = 0;

describe('window sums in SQL', () => {
  it('equal the brute-force sum over the raw events, for every window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            offset: fc.integer({ min: -(30 * D - 1) * 1000, max: 0 }),
            kind: fc.constantFrom('eval', 'thumbs_down', 'latency_slo'),
            good: fc.nat({ max: 500 }),
            bad: fc.nat({ max: 500 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 3 }),
        async (raw, batches) => {
          // Each run lives 40 days after the last, beyond every window of the previous ones.
          const now = Date.parse('2027-01-01T00:00:00Z') + ++run * 40 * D * 1000 + (run % 7) * 61_001;
          const events = raw.map((e) => ({ ...e, at: now + e.offset }));
          const size = Math.ceil(events.length / batches);
          for (let i = 0; i < events.length; i += size) {
            const { batch, body } = batchOf(`prop-${run}-${i}`, events.slice(i, i + size), now);
            await storeSignalBatch(ctx.handle.db, batch, body, new Date(now));
          }
          const totals = await readWindowTotals(ctx.handle.db, new Date(now), [FEATURE], WINDOWS);
          for (const w of WINDOWS) {
            expect(totals.get(FEATURE.key)?.get(w) ?? { good: 0, bad: 0 }, `window ${w}s`).toEqual(
              bruteForce(events, now, w),
            );
          }
          const days = await readDailyCounts(ctx.handle.db, new Date(now), FEATURE, 7);
          const endHour = Math.floor(now / 3_600_000) * 3_600_000;
          days.forEach((day, i) => {
            const from = endHour - (7 - i) * D * 1000;
            const expected = events
              .filter((e) => FEATURE.kinds.includes(e.kind) && e.at >= from && e.at < from + D * 1000)
              .reduce((a, e) => ({ good: a.good + e.good, bad: a.bad + e.bad }), { good: 0, bad: 0 });
            expect(day, `day ${i}`).toEqual(expected);
          });
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('storing batches', () => {
  const now = Date.parse('2030-01-01T12:00:30Z');
  const events = (n: number): Event[] => [{ at: now, kind: 'eval', good: n, bad: 1 }];

  it('counts a batch id once, however often it arrives', async () => {
    const { batch, body } = batchOf('same-batch', events(10), now);
    const first = await storeSignalBatch(ctx.handle.db, batch, body, new Date(now));
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => storeSignalBatch(ctx.handle.db, batch, body, new Date(now))),
    );
    expect(first.fresh).toBe(true);
    expect(copies.map((c) => c.fresh)).toEqual([false, false, false, false, false]);
    const rows = await ctx.database.query<{ good: string; bad: string }>(
      "SELECT good, bad FROM signal_minute WHERE feature_key = 'ai-support-bot' AND minute = $1",
      [new Date('2030-01-01T12:00:00Z')],
    );
    expect(rows).toEqual([{ good: '10', bad: '1' }]);
  });

  it('adds concurrent batches on the same rows without losing any', async () => {
    const at = Date.parse('2030-02-01T00:00:10Z');
    const batches = Array.from({ length: 40 }, (_, i) =>
      batchOf(
        `concurrent-${i}`,
        [
          { at, kind: 'eval', good: 2, bad: 1 },
          { at: at + 3_600_000, kind: 'guardrail', good: 1, bad: 0 },
        ],
        at + 3_600_000,
      ),
    );
    await Promise.all(
      batches.map(({ batch, body }) => storeSignalBatch(ctx.handle.db, batch, body, new Date(at))),
    );
    const hours = await ctx.database.query<{ kind: string; good: string; bad: string }>(
      "SELECT kind, good, bad FROM signal_hour WHERE feature_key = 'ai-support-bot' AND hour >= $1 AND hour < $2 ORDER BY hour",
      [new Date(at - 10_000), new Date(at + 2 * 3_600_000)],
    );
    expect(hours).toEqual([
      { kind: 'eval', good: '80', bad: '40' },
      { kind: 'guardrail', good: '40', bad: '0' },
    ]);
  });
});
