// Bad input, fuzzed, at POST /signals: any JSON, a valid batch with one part broken, raw
// bodies that are not what they claim. Never a 5xx, a refusal counts nothing, a 400 names the
// field in this route's own form (`signals[0].kind`), unstorable strings included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyJson,
  errorLines,
  expectSafeAnswer,
  expectUnstorableNamed,
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

const rows = rowCounter(() => ctx.database, ['signal_batch', 'signal_minute', 'signal_hour']);
const post = (body: Buffer | string) =>
  fetch(`${ctx.app.url}/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body,
  });

const VALID = {
  batch_id: 'fuzz-batch',
  signals: [{ feature: 'ai-search-summaries', at: new Date().toISOString(), good: 9, bad: 1, kind: 'eval' }],
};

async function check(body: Buffer | string, what: string): Promise<number> {
  const outcome = await measure(rows, () => post(body));
  expectSafeAnswer(outcome, what);
  return outcome.status;
}

describe('POST /signals, fuzzed', () => {
  it('answers any JSON value without a 5xx, counting nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (value) => {
        await check(toJsonText(value), 'any JSON');
      }),
      { numRuns: runs(40) },
    );
  });

  it('answers a valid batch with one part broken without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(VALID), async ({ body, mutation }) => {
        await check(toJsonText(body), JSON.stringify(mutation).slice(0, 200));
      }),
      { numRuns: runs(40) },
    );
  });

  it('answers duplicate keys, invalid UTF-8, raw NUL bytes, cut-off text and random bytes without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawBodies(VALID), async (raw) => {
        await check(raw, raw.subarray(0, 120).toString('hex'));
      }),
      { numRuns: runs(20) },
    );
  });

  it.each(UNSTORABLE.map((s) => [JSON.stringify(s), s]))(
    'refuses %s in the batch id or an extra field with 400 naming it',
    async (_name, bad) => {
      const before = await rows();
      const signal = VALID.signals[0];
      for (const [body, field] of [
        [{ ...VALID, batch_id: `b${bad}` }, 'batch_id'],
        [{ ...VALID, signals: [{ ...signal, model: bad }] }, 'signals[0].model'],
        [{ ...VALID, signals: [{ ...signal, meta: nested(70, 'array') }] }, /^signals\[0\]\.meta(\[0\])+$/],
      ] as const) {
        await expectUnstorableNamed(await post(JSON.stringify(body)), field);
      }
      expect(await rows()).toBe(before);
    },
  );

  it('still counts a valid batch, logged no error and threw nothing', async () => {
    expect(await check(JSON.stringify({ ...VALID, batch_id: 'fuzz-valid' }), 'valid')).toBe(202);
    expect(errorLines(logLines)).toEqual([]);
    expect(processErrors.errors).toEqual([]);
  });
});
