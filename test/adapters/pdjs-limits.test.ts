// Why src/adapters/pagerduty.ts does not send through @pagerduty/pdjs (README-acklink.md):
// these are the behaviours of pdjs 2.2 that would break the adapter's contract. If a pdjs
// upgrade changes them, this test fails and the adapter can be reconsidered.
import { api } from '@pagerduty/pdjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_PD_TOKEN, type FakePagerDuty, startFakePagerDuty } from '../../src/sandbox/fakes/pagerduty.ts';

let pd: FakePagerDuty;
beforeEach(async () => {
  pd = await startFakePagerDuty();
});
afterEach(() => pd.close());

it('retries a 429 itself, ignoring Retry-After, so the caller never sees the wait PagerDuty asked for', async () => {
  pd.failNext(1, { status: 429, retryAfterSeconds: 60 });
  const started = Date.now();
  const res = await api({ url: `${pd.url}/services/PSVC1`, token: FAKE_PD_TOKEN, retryTimeout: 50 });
  // Answered 200 well inside the 60 s PagerDuty asked for: the 429 and its wait were swallowed.
  expect(res.response.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(pd.state.requests.filter((r) => r.path === '/services/PSVC1')).toHaveLength(2);
});

it('sends through its own fetch (node-fetch), not the one the adapter is given, and names the Node version', async () => {
  let injectedCalls = 0;
  const original = globalThis.fetch;
  globalThis.fetch = async (...args) => {
    injectedCalls++;
    return original(...args);
  };
  try {
    await api({ url: `${pd.url}/services/PSVC1`, token: FAKE_PD_TOKEN });
  } finally {
    globalThis.fetch = original;
  }
  expect(injectedCalls).toBe(0);
  const sent = pd.state.requests.at(-1);
  expect(String(sent?.headers['user-agent'])).toContain(process.version);
});
