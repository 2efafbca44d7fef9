// Bad input, fuzzed, at POST /webhooks/pagerduty. A signed body of any shape is answered
// without a 5xx (a readable-but-unknown one is kept and answered 2xx, by design); a body
// PostgreSQL cannot store is refused with 400 naming the field; a wrong signature is 401
// whatever the body; nothing refused is written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signPagerDutyBody } from '../../src/capabilities/paging/webhook-signature.ts';
import {
  anyJson,
  errorLines,
  expectSafeAnswer,
  expectUnstorableNamed,
  hostileString,
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

const SECRET = 'whsec-fuzz-0123456789abcdef';
const { ctx, logLines, processErrors } = useFuzzedApp({ extra: { PAGERDUTY_WEBHOOK_SECRETS: SECRET } });

const rows = rowCounter(() => ctx.database, ['inbound_payload', 'pagerduty_webhook']);
const post = (body: Buffer | string, signature = signPagerDutyBody(SECRET, body)) =>
  fetch(`${ctx.app.url}/webhooks/pagerduty`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature },
    body,
  });

const VALID = {
  event: {
    id: 'fuzz-event',
    event_type: 'incident.acknowledged',
    resource_type: 'incident',
    occurred_at: '2026-11-23T10:00:00Z',
    agent: { id: 'PUSER01', type: 'user_reference' },
    client: { name: 'PagerDuty Mobile' },
    data: { id: 'PFUZZ01', type: 'incident', status: 'acknowledged', assignees: [{ id: 'PUSER01' }] },
  },
};

async function check(body: Buffer | string, what: string): Promise<number> {
  const outcome = await measure(rows, () => post(body));
  expectSafeAnswer(outcome, what);
  return outcome.status;
}

describe('POST /webhooks/pagerduty, fuzzed', () => {
  it('answers any signed JSON value without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (value) => {
        // Past 64 KiB is a 413 already proved elsewhere; keep the body under the cap.
        const text = toJsonText(value);
        await check(text.length > 60_000 ? text.slice(0, 60_000) : text, 'any JSON');
      }),
      { numRuns: runs(40) },
    );
  });

  it('answers a signed valid event with one part broken without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(VALID), async ({ body, mutation }) => {
        const text = toJsonText(body);
        await check(text.length > 60_000 ? '{}' : text, JSON.stringify(mutation).slice(0, 200));
      }),
      { numRuns: runs(40) },
    );
  });

  it('answers signed duplicate keys, invalid UTF-8, raw NUL bytes, cut-off text and random bytes without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawBodies(VALID), async (raw) => {
        await check(
          raw.length > 60_000 ? raw.subarray(0, 60_000) : raw,
          raw.subarray(0, 120).toString('hex'),
        );
      }),
      { numRuns: runs(20) },
    );
  });

  it('answers 401 to any body under a wrong or garbled signature, writing nothing', async () => {
    const signature = fc.oneof(
      fc.constant(`v1=${'0'.repeat(64)}`),
      fc.string({ maxLength: 80 }).map((s) => `v1=${s}`),
      hostileString.map((s) => `v1=${Buffer.from(s).toString('hex').slice(0, 200)}`),
      fc.constant(`v1=${signPagerDutyBody('another-secret', '{}').slice(3)},v1=zz`),
    );
    await fc.assert(
      fc.asyncProperty(anyJson, signature, async (value, sig) => {
        const before = await rows();
        const res = await post(toJsonText(value).slice(0, 60_000), sig);
        expect(res.status).toBe(401);
        expect(await rows()).toBe(before);
      }),
      { numRuns: runs(20) },
    );
  });

  it.each(UNSTORABLE.map((s) => [JSON.stringify(s), s]))(
    'refuses a signed body with %s with 400 naming where it is',
    async (_name, bad) => {
      const before = await rows();
      for (const [body, field] of [
        [{ event: { ...VALID.event, id: `e-${bad}` } }, 'event.id'],
        [{ event: { ...VALID.event, data: { ...VALID.event.data, note: bad } } }, 'event.data.note'],
        [{ event: { ...VALID.event, data: nested(80, 'object') } }, /^event\.data(\.a)+$/],
        // Found by the fuzzer: a key "" made the field empty, so the answer named none.
        [{ '': { [`k${bad}`]: 0 } }, '""'],
      ] as const) {
        await expectUnstorableNamed(await post(JSON.stringify(body)), field);
      }
      expect(await rows()).toBe(before);
    },
  );

  it('still accepts a valid event, logged no error and threw nothing', async () => {
    const event = { event: { ...VALID.event, id: 'fuzz-valid' } };
    expect(await check(JSON.stringify(event), 'valid')).toBe(202);
    expect(errorLines(logLines)).toEqual([]);
    expect(processErrors.errors).toEqual([]);
  });
});
