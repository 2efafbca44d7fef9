// Bad input, fuzzed, at POST /alerts/<source>: whatever the body — any JSON, a valid payload
// with one part broken, duplicate keys, invalid UTF-8, NUL and lone surrogates, nesting
// thousands deep — the answer is never a 5xx, a refusal writes nothing, and a 400 names the
// field. Strings PostgreSQL cannot store are refused up front, naming where they are.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyJson,
  DEEP_LEVELS,
  deepText,
  errorLines,
  expectSafeAnswer,
  measure,
  mutated,
  nested,
  rawBodies,
  rowCounter,
  runs,
  toJsonText,
  UNSTORABLE,
  useFuzzedApp,
} from '../support/fuzz.ts';
import { ALERT_TOKEN } from '../support/harness.ts';

const { ctx, logLines, processErrors } = useFuzzedApp();

const rows = rowCounter(() => ctx.database, ['inbound_payload', 'alert', 'incident']);
const post = (source: string, body: Buffer | string) =>
  fetch(`${ctx.app.url}/alerts/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body,
  });

const labels = { alertname: 'Fuzz', ai_feature: 'ai-support-bot', severity: 'warning' };
const VALID = {
  alertmanager: {
    version: '4',
    status: 'firing',
    commonLabels: labels,
    alerts: [{ status: 'firing', labels, annotations: { summary: 's' }, startsAt: '2026-11-23T07:25:29Z' }],
  },
  grafana: {
    version: '1',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: { summary: 's' },
        startsAt: '2026-11-23T07:25:29Z',
        values: { B: 1 },
      },
    ],
  },
  generic: { summary: 's', fingerprint: 'fuzz-1', severity: 'warning', feature: 'ai-support-bot', labels },
} as const;
const SOURCES = Object.keys(VALID) as (keyof typeof VALID)[];

async function check(source: string, body: Buffer | string, what: string): Promise<number> {
  const outcome = await measure(rows, () => post(source, body));
  expectSafeAnswer(outcome, `${source} ${what}`);
  return outcome.status;
}

describe('POST /alerts/<source>, fuzzed', () => {
  it('answers any JSON value without a 5xx, writing nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOURCES), anyJson, async (source, value) => {
        await check(source, toJsonText(value), 'any JSON');
      }),
      { numRuns: runs(40) },
    );
  });

  it('answers a valid payload with one part broken without a 5xx', async () => {
    for (const source of SOURCES) {
      await fc.assert(
        fc.asyncProperty(mutated(VALID[source]), async ({ body, mutation }) => {
          await check(source, toJsonText(body), JSON.stringify(mutation).slice(0, 200));
        }),
        { numRuns: runs(25) },
      );
    }
  });

  it('answers duplicate keys, invalid UTF-8, raw NUL bytes, cut-off text and random bytes without a 5xx', async () => {
    for (const source of SOURCES) {
      await fc.assert(
        fc.asyncProperty(rawBodies(VALID[source]), async (raw) => {
          await check(source, raw, raw.subarray(0, 120).toString('hex'));
        }),
        { numRuns: runs(20) },
      );
    }
  });

  it.each(UNSTORABLE.map((s) => [JSON.stringify(s), s]))(
    'refuses %s in a label value or key with 400 naming where it is',
    async (_name, bad) => {
      const inValue = { ...VALID.generic, labels: { ...labels, model: bad } };
      const inKey = { ...VALID.generic, labels: { ...labels, [`m${bad}`]: 'x' } };
      const before = await rows();
      for (const [body, field] of [
        [inValue, 'labels.model'],
        [inKey, 'labels'],
      ] as const) {
        const res = await post('generic', JSON.stringify(body));
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: 'invalid_payload', field });
      }
      expect(await rows()).toBe(before);
    },
  );

  it.each(DEEP_LEVELS.map((d) => [d]))(
    'refuses JSON nested %i deep with 400 naming the field',
    async (depth) => {
      const before = await rows();
      const values = depth > 1_000 ? deepText(depth, 'object') : nested(depth, 'object');
      const body = toJsonText({ ...VALID.grafana, alerts: [{ ...VALID.grafana.alerts[0], values }] });
      const res = await post('grafana', body);
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { field: string };
      expect(answer.field).toMatch(/^alerts\.0\.values(\.a)*$/);
      expect(await rows()).toBe(before);
    },
  );

  it('accepted the valid payloads it was given, logged no error and threw nothing', async () => {
    for (const source of SOURCES)
      expect(await check(source, JSON.stringify(VALID[source]), 'valid')).toBe(202);
    expect(errorLines(logLines)).toEqual([]);
    expect(processErrors.errors).toEqual([]);
  });
});
