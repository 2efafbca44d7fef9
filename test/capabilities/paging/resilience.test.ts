// PagerDuty and Slack fail; nothing is lost and nothing is doubled.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Running, RuntimeOptions } from '../../../src/runtime.ts';
import { defaultRoster } from '../../../src/sandbox/fakes/pagerduty-roster.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, genericAlert, postAlert, startApp, startFakes } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { ownerNotFirstOnCall } from '../../support/roster.ts';
import { startSlowProxy } from '../../support/slow-proxy.ts';
import { waitUntil } from '../../support/wait.ts';

let database: TestDatabase;
let fakes: Fakes;
const apps: Running[] = [];

// Small, fixed back-off so retries happen within the test, not minutes later.
const FAST: RuntimeOptions = { queue: { random: () => 0.05, pollingIntervalSeconds: 0.5 } };

async function launch(options: RuntimeOptions = FAST, extra: Record<string, string> = {}): Promise<Running> {
  const app = await startApp(database.url, fakes, extra, options);
  apps.push(app);
  return app;
}

const incidentsFor = (feature: string) =>
  database.query('SELECT * FROM incident WHERE feature_key = $1', [feature]);

beforeAll(async () => {
  fakes = await startFakes();
});
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  fakes.pd.setDown(false);
  fakes.pd.setRoster(defaultRoster());
  await database.drop();
});
afterAll(async () => {
  await fakes.close();
});

/**
 * Pages as PagerDuty received them: every `POST /incidents` with this key. Not the fake's
 * incidents, which it deduplicates by key (and the adapter turns the refusal into the
 * existing incident), so a second page would pass unseen. Read after the queue is idle.
 */
const pagesSent = (key: string) =>
  fakes.pd.state.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.path === '/incidents' &&
      (r.body as { incident?: { incident_key?: unknown } } | null)?.incident?.incident_key === key,
  );

async function pagesOnceIdle(key: string) {
  await waitForQueueIdle({ database });
  return pagesSent(key);
}

describe('when PagerDuty is down', () => {
  it('keeps the page queued, says so once in Slack, DMs the owner, and pages exactly once when it is back', async () => {
    // The owner (Jane) is not first on call here, so a DM to whoever is on call would show.
    fakes.pd.setRoster(ownerNotFirstOnCall());
    const app = await launch();
    fakes.pd.setDown(true);
    expect((await postAlert(app, 'generic', genericAlert('down-1'))).status).toBe(202);
    const notice = await fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && /unreachable/.test(m.text),
    );
    const dm = await fakes.slack.waitForMessage((m) => m.channel === 'DU0JANE');
    expect(dm.text).toContain('PagerDuty is unreachable');
    // Several failed attempts go by before PagerDuty comes back.
    await waitUntil(
      () => database.query("SELECT attempts FROM outbound_effect WHERE key LIKE 'page:%'"),
      (rows) => (rows[0]?.attempts ?? 0) >= 3,
    );
    fakes.pd.setDown(false);
    const [incident = {}] = await waitUntil(
      () => incidentsFor('ai-support-bot'),
      (rows) => rows[0]?.slack_ts != null,
    );
    expect(await pagesOnceIdle(incident.pd_dedup_key)).toHaveLength(1);
    const notices = fakes.slack.state.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0ALERTS' &&
        /unreachable/.test(String(c.args.text)),
    );
    expect(notices).toHaveLength(1);
    expect(notice.ts).toBeTruthy();
    const main = await fakes.slack.waitForMessage((m) => m.ts === incident.slack_ts);
    expect(main.text).toContain('Paged Sam Lee');
    // The outage DM went to the owner only; Sam gets just the page's own DM once it is sent.
    const outageDms = fakes.slack.state.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        /^D/.test(String(c.args.channel)) &&
        /unreachable/.test(String(c.args.text)),
    );
    expect(outageDms.map((c) => c.args.channel)).toEqual(['DU0JANE']);
  });

  it('delivers the queued page after a restart', async () => {
    const first = await launch();
    fakes.pd.setDown(true);
    await postAlert(first, 'generic', genericAlert('restart-1'));
    await fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && /unreachable/.test(m.text) && /restart-1/.test(m.text),
    );
    await first.stop();
    fakes.pd.setDown(false);
    await launch();
    const [incident = {}] = await waitUntil(
      () => incidentsFor('ai-support-bot'),
      (rows) => rows[0]?.page_state === 'sent',
    );
    expect(await pagesOnceIdle(incident.pd_dedup_key)).toHaveLength(1);
    // The announcement follows the page at once, not after the 20 s inline lease: the job
    // fetched as the restarted queue starts tries its follow-up inline too.
    const [{ slack_ts: ts, paged_at: pagedAt } = {}] = await incidentsFor('ai-support-bot');
    const post = fakes.slack.state.calls.find(
      (c) => c.method === 'chat.postMessage' && (c.response?.body as { ts?: string } | undefined)?.ts === ts,
    );
    expect((post?.receivedAt ?? Number.POSITIVE_INFINITY) - new Date(pagedAt).getTime()).toBeLessThan(10_000);
  });
});

describe('when Slack rate-limits', () => {
  it('retries after Retry-After and posts the incident message once', async () => {
    const app = await launch();
    fakes.slack.controls.failNext(2, {
      status: 429,
      retryAfterSeconds: 1,
      method: 'chat.postMessage',
      channel: 'C0ALERTS',
    });
    await postAlert(app, 'generic', genericAlert('ratelimit-1', 'ai-search-summaries'));
    const [incident = {}] = await waitUntil(
      () => incidentsFor('ai-search-summaries'),
      (rows) => rows[0]?.slack_ts != null,
    );
    const posts = fakes.slack.state.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0ALERTS' &&
        String(c.args.text).includes('ratelimit-1'),
    );
    expect(posts.map((c) => c.response?.status)).toEqual([429, 429, 200]);
    // Retry-After is a floor: the successful post came at least a second after the first 429.
    const gap = (posts[2]?.receivedAt ?? 0) - (posts[1]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(incident.page_state).toBe('sent');
  });
});

describe('two replicas on one database', () => {
  it('page once and post once for the same alerts sent to both', async () => {
    const [a, b] = [await launch(), await launch()];
    const sends = Array.from({ length: 20 }, (_, i) =>
      postAlert(i % 2 ? a : b, 'generic', genericAlert(`replica-${i % 4}`)),
    );
    expect((await Promise.all(sends)).map((r) => r.status)).toEqual(Array(20).fill(202));
    const [incident = {}] = await waitUntil(
      () => incidentsFor('ai-support-bot'),
      (rows) => rows[0]?.slack_ts != null,
    );
    expect(await incidentsFor('ai-support-bot')).toHaveLength(1);
    expect(await pagesOnceIdle(incident.pd_dedup_key)).toHaveLength(1);
    const posts = fakes.slack.state.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0ALERTS' &&
        String(c.args.text).includes('(replica-'),
    );
    expect(posts).toHaveLength(1);
  });
});

describe('a page attempt that outlives its lease', () => {
  it('is not repeated by the job the queue hands out again meanwhile: PagerDuty receives one POST', async () => {
    // PagerDuty answers the first on-call lookup after 2.5 s, past the inline attempt's 1 s
    // lease: the queue hands the same page job to a worker while the first attempt still
    // runs, and both would go on to POST /incidents. Only the effect claim keeps it to one
    // (the fake's own dedup by incident_key would hide the second from an incident count).
    let lookups = 0;
    const slow = await startSlowProxy(fakes.pd.url, ({ path }) =>
      path.startsWith('/oncalls') && lookups++ === 0 ? 2_500 : 0,
    );
    try {
      const app = await launch(
        { queue: { ...FAST.queue, inlineLeaseSeconds: 1 } },
        { PAGERDUTY_API_URL: slow.url },
      );
      await postAlert(app, 'generic', genericAlert('lease-1'));
      const [incident = {}] = await waitUntil(
        () => incidentsFor('ai-support-bot'),
        (rows) => rows[0]?.slack_ts != null,
      );
      // The slow attempt goes on after its answer, and whichever attempt holds the claim
      // POSTs after it too: wait for that POST, then for the queue, before counting.
      await waitUntil(
        async () => slow.heldAnswerAt,
        (at) => at !== null && pagesSent(incident.pd_dedup_key).some((r) => r.receivedAt >= at),
      );
      expect(await pagesOnceIdle(incident.pd_dedup_key)).toHaveLength(1);
    } finally {
      await Promise.all(apps.splice(0).map((a) => a.stop()));
      await slow.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('fails readiness first, finishes the in-flight page attempt, and loses nothing', async () => {
    // A short inline lease: what this process leaves in the queue comes due soon after the
    // restart, so waiting for an idle queue before counting takes seconds, not the 20 s lease.
    const app = await launch({ drainDelayMs: 300, queue: { ...FAST.queue, inlineLeaseSeconds: 3 } });
    fakes.pd.hangNext(1);
    await postAlert(app, 'generic', genericAlert('shutdown-1'));
    await fakes.pd.waitFor((r) => r.path === '/oncalls');
    const stopping = app.stop();
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    await stopping;
    // The hung attempt timed out during shutdown and left a retry in the queue.
    await launch();
    const [incident = {}] = await waitUntil(
      () => incidentsFor('ai-support-bot'),
      (rows) => rows[0]?.page_state === 'sent',
    );
    expect(await pagesOnceIdle(incident.pd_dedup_key)).toHaveLength(1);
  });
});
