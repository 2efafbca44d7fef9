// POST /signals with measurements over HTTP: the same token, limits and batch_id idempotency as
// signals; a summary or an observation stored per feature, metric and minute (and hour), replay
// links kept and capped; every bad field refused with a 400 that names it, and nothing written.
import { describe, expect, it } from 'vitest';
import { catalogFile } from '../../support/catalog.ts';
import { ALERT_TOKEN, useRunningApp } from '../../support/harness.ts';
import { addWatches } from './helpers.ts';

const ctx = useRunningApp({
  extra: async () => ({ FAILSAFE_CONFIG: await catalogFile((t) => addWatches(t)) }),
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${ctx.app.url}/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const at = () => new Date(Date.now() - 60_000).toISOString();
const m = (over: Record<string, unknown> = {}) => ({
  feature: 'ai-support-bot',
  at: at(),
  metric: 'handoff_rate',
  value: 0.31,
  ...over,
});
const summary = (over: Record<string, unknown> = {}) =>
  m({
    metric: 'confidence',
    value: undefined,
    count: 480,
    sum: 401.2,
    buckets: { '0.5': 40, '0.8': 200, '1': 240 },
    examples: [{ url: 'https://langfuse.example.com/trace/abc', label: 'low confidence refund answer' }],
    ...over,
  });

const counts = async () =>
  (
    await ctx.database.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM measurement_minute) + (SELECT count(*) FROM measurement_hour)
            + (SELECT count(*) FROM signal_batch) + (SELECT count(*) FROM signal_minute) AS n`,
    )
  )[0]?.n;

describe('POST /signals with measurements', () => {
  it('refuses a stranger before reading anything', async () => {
    expect(
      (await post({ batch_id: 'x', measurements: [m()] }, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
  });

  it.each([
    [{ batch_id: 'b', measurements: [] }, 'measurements', 'expected at least one measurement'],
    [{ batch_id: 'b', measurements: 'x' }, 'measurements', 'expected a list of measurements'],
    [{ batch_id: 'b', measurements: [m(), 7] }, 'measurements[1]', 'expected a measurement object'],
    [
      { batch_id: 'b', measurements: [m({ feature: 'nope' })] },
      'measurements[0].feature',
      'unknown feature "nope"',
    ],
    [
      { batch_id: 'b', measurements: [m({ feature: 'ai-search-summaries' })] },
      'measurements[0].feature',
      '"ai-search-summaries" has no watch in the catalog',
    ],
    [
      { batch_id: 'b', measurements: [m({ metric: 'latency' })] },
      'measurements[0].metric',
      '"latency" is not watched for ai-support-bot',
    ],
    [
      { batch_id: 'b', measurements: [m({ metric: 'Hand Off' })] },
      'measurements[0].metric',
      'expected a metric name',
    ],
    [{ batch_id: 'b', measurements: [m({ at: 'now' })] }, 'measurements[0].at', 'expected an ISO 8601 time'],
    [
      { batch_id: 'b', measurements: [m({ at: new Date(Date.now() + 3_600_000).toISOString() })] },
      'measurements[0].at',
      'more than 5 minutes in the future',
    ],
    [
      { batch_id: 'b', measurements: [m({ at: new Date(Date.now() - 8 * 86_400_000).toISOString() })] },
      'measurements[0].at',
      "older than the watch's baseline",
    ],
    [
      { batch_id: 'b', measurements: [m({ value: 'high' })] },
      'measurements[0].value',
      'expected one observation',
    ],
    [{ batch_id: 'b', measurements: [m({ value: 1, count: 3 })] }, 'measurements[0].count', 'either value'],
    [
      { batch_id: 'b', measurements: [m({ value: undefined })] },
      'measurements[0].value',
      'expected value, or count and sum',
    ],
    [
      { batch_id: 'b', measurements: [m({ value: undefined, count: 3 })] },
      'measurements[0].sum',
      'expected the sum of the observations with count',
    ],
    [
      { batch_id: 'b', measurements: [summary({ count: 0 })] },
      'measurements[0].count',
      'at least 1 observation',
    ],
    [{ batch_id: 'b', measurements: [summary({ count: 2.5 })] }, 'measurements[0].count', 'a whole number'],
    [{ batch_id: 'b', measurements: [summary({ min: 2, max: 1 })] }, 'measurements[0].min', 'at most max'],
    [
      { batch_id: 'b', measurements: [summary({ max: 0.5 })] },
      'measurements[0].sum',
      'gives a mean above max',
    ],
    [
      { batch_id: 'b', measurements: [summary({ buckets: { '0.5': 1 } })] },
      'measurements[0].buckets',
      'adding up to count (480)',
    ],
    [
      { batch_id: 'b', measurements: [summary({ buckets: { high: 480 } })] },
      'measurements[0].buckets.high',
      'expected an upper bound',
    ],
    [
      { batch_id: 'b', measurements: [summary({ buckets: { '1': -1 } })] },
      'measurements[0].buckets.1',
      'a count of observations, 0 or more',
    ],
    [
      { batch_id: 'b', measurements: [summary({ buckets: undefined })] },
      'measurements[0].buckets',
      'watched for drift',
    ],
    [
      { batch_id: 'b', measurements: [summary({ examples: [{ url: 'javascript:alert(1)', label: 'x' }] })] },
      'measurements[0].examples[0].url',
      'expected an absolute http or https URL',
    ],
    [
      {
        batch_id: 'b',
        measurements: [summary({ examples: [{ url: 'https://u:p@example.com/', label: 'x' }] })],
      },
      'measurements[0].examples[0].url',
      'without credentials',
    ],
    [
      { batch_id: 'b', measurements: [summary({ examples: [{ url: 'https://example.com/' }] })] },
      'measurements[0].examples[0].label',
      'expected a short label',
    ],
    [
      {
        batch_id: 'b',
        measurements: [
          summary({
            examples: Array.from({ length: 6 }, (_, i) => ({ url: `https://e.example/${i}`, label: 'x' })),
          }),
        ],
      },
      'measurements[0].examples',
      'at most 5 examples',
    ],
    [{ batch_id: 'b' }, 'signals', 'expected signals, measurements or both'],
  ])('400 naming the field for %j, and nothing written', async (body, field, message) => {
    const before = await counts();
    // A good signal and a good measurement beside the bad one: all or nothing.
    const withGood =
      typeof body === 'object' && Array.isArray((body as { measurements?: unknown }).measurements)
        ? { ...body, signals: [{ feature: 'ai-support-bot', at: at(), good: 1, bad: 0, kind: 'eval' }] }
        : body;
    const res = await post(withGood);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { field: string; message: string };
    expect(answer.field).toBe(field);
    expect(answer.message).toContain(`${field}: `);
    expect(answer.message).toContain(message);
    expect(await counts()).toBe(before);
  });

  it('stores per minute (and hour), not per observation; a retried batch adds nothing', async () => {
    const when = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
    const body = {
      batch_id: 'measured-1',
      signals: [{ feature: 'ai-support-bot', at: when.toISOString(), good: 5, bad: 0, kind: 'eval' }],
      measurements: [
        m({ at: when.toISOString(), value: 0.2 }),
        m({ at: new Date(when.getTime() + 30_000).toISOString(), value: 0.4 }),
        summary({ at: when.toISOString() }),
        summary({
          at: when.toISOString(),
          count: 20,
          sum: 8,
          min: 0.1,
          max: 0.9,
          buckets: { '0.5': 20 },
          examples: [{ url: 'https://langfuse.example.com/trace/def', label: 'second <b>answer</b>' }],
        }),
      ],
    };
    const first = await post(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({
      batch_id: 'measured-1',
      accepted: 1,
      measurements: 4,
      duplicate: false,
    });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      batch_id: 'measured-1',
      accepted: 0,
      measurements: 0,
      duplicate: true,
    });
    const rows = await ctx.database.query<Record<string, unknown>>(
      `SELECT metric, count, sum, min, max, buckets, examples FROM measurement_minute WHERE minute = $1 ORDER BY metric`,
      [when],
    );
    expect(rows).toEqual([
      {
        metric: 'confidence',
        count: 500,
        sum: 409.2,
        min: 0.1,
        max: 0.9,
        buckets: { '0.5': 60, '0.8': 200, '1': 240 },
        examples: [
          { url: 'https://langfuse.example.com/trace/def', label: 'second <b>answer</b>' },
          { url: 'https://langfuse.example.com/trace/abc', label: 'low confidence refund answer' },
        ],
      },
      {
        metric: 'handoff_rate',
        count: 2,
        sum: 0.6000000000000001,
        min: 0.2,
        max: 0.4,
        buckets: null,
        examples: [],
      },
    ]);
    const hours = await ctx.database.query<{ metric: string; count: number }>(
      'SELECT metric, count FROM measurement_hour ORDER BY metric',
    );
    expect(hours).toEqual([
      { metric: 'confidence', count: 500 },
      { metric: 'handoff_rate', count: 2 },
    ]);
  });

  it('keeps at most 5 replay links per minute, newest first, one per URL', async () => {
    const when = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 240_000);
    for (let i = 0; i < 4; i++) {
      const examples = [0, 1].map((j) => ({ url: `https://e.example/${i}-${j}`, label: `ex ${i}-${j}` }));
      const res = await post({
        batch_id: `links-${i}`,
        measurements: [summary({ at: when.toISOString(), examples })],
      });
      expect(res.status).toBe(202);
    }
    const [row] = await ctx.database.query<{ examples: { url: string }[] }>(
      "SELECT examples FROM measurement_minute WHERE minute = $1 AND metric = 'confidence'",
      [when],
    );
    expect(row?.examples.map((e) => e.url)).toEqual([
      'https://e.example/3-0',
      'https://e.example/3-1',
      'https://e.example/2-0',
      'https://e.example/2-1',
      'https://e.example/1-0',
    ]);
  });
});
