// Fault 1 of the suite: main.ts, a child process, is SIGKILLed three times during an alert storm
// and started again each time on the same database and fakes. The kills land where they hurt:
// the moment PagerDuty receives the first page (it has the incident, the app has no record);
// right after Slack took an announcement; and right after a request that opened an incident
// was committed and answered, before its page was queued, with other requests in flight. The
// last two are the child's own crash points: a test's signal on seeing the call would come too
// late. The senders are Alertmanager-like: a payload that got no answer or a 5xx is sent again,
// to wherever the process now listens. Counted at the end, once the queue is idle, as the fakes
// received it: every payload answered 202 is stored with its alerts, one POST /incidents and
// one announcement per incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertStorm } from '../support/alert-senders.ts';
import { type AppProcess, type SpawnedApp, spawnAppProcess } from '../support/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Fakes, startFakes, testEnv } from '../support/harness.ts';
import { waitForQueueIdle } from '../support/queue.ts';
import { waitUntil } from '../support/wait.ts';

/** Payloads per feature; each carries a new alert and a repeat of the previous one. */
const PER_FEATURE = 80;
/** `ai_feature` label values: two catalog features and one that falls to the default route. */
const FEATURES = ['ai-support-bot', 'ai-search-summaries', 'no-such-feature'] as const;
/** The third feature's first payload comes this far into the others', after the first kills. */
const LATE_START = 40;

interface Payload {
  /** Names the payload in the storm's record of what was taken. */
  fingerprint: string;
  feature: string;
  alerts: string[];
}

function payload(feature: string, i: number): Payload {
  const fp = (n: number) => `${feature}-${n}`;
  return { fingerprint: `payload-${feature}-${i}`, feature, alerts: i ? [fp(i), fp(i - 1)] : [fp(i)] };
}

/**
 * Interleaved across features, so each incident opens while the others are being fed; the
 * third opens late, in the process armed to die right after an incident is committed.
 */
function payloads(): Payload[] {
  const [first, second, late] = FEATURES;
  const out: Payload[] = [];
  for (let i = 0; i < PER_FEATURE + LATE_START; i++) {
    if (i < PER_FEATURE) out.push(payload(first, i), payload(second, i));
    if (i >= LATE_START) out.push(payload(late, i - LATE_START));
  }
  return out;
}

/** Alertmanager's webhook v4, one group per payload, as `test/contracts/alertmanager/` shows it. */
function alertmanagerBody(payload: Payload) {
  const labels = (fingerprint: string) => ({
    ai_feature: payload.feature,
    alertname: 'HallucinatedRefunds',
    severity: 'critical',
    instance: fingerprint,
  });
  return {
    version: '4',
    receiver: 'failsafe',
    status: 'firing',
    groupKey: `{}:{ai_feature="${payload.feature}"}`,
    groupLabels: { ai_feature: payload.feature },
    commonLabels: { ai_feature: payload.feature, severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com:9093',
    truncatedAlerts: 0,
    alerts: payload.alerts.map((fingerprint) => ({
      status: 'firing',
      labels: labels(fingerprint),
      annotations: { summary: `Refund offers without policy (${fingerprint})` },
      startsAt: '2026-11-23T07:25:29.847Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.com/graph?g0.expr=up',
      fingerprint,
    })),
  };
}

/**
 * The chat.postMessage requests for incident announcements that Slack took, by effect key. A
 * request refused with 429 (the fake holds each channel to Slack's rate) posted nothing.
 */
const announcements = (fakes: Fakes) =>
  fakes.slack.state.calls.flatMap((c) => {
    const key = (c.args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
    const took = c.method === 'chat.postMessage' && c.response?.body.ok === true;
    return took && String(key).startsWith('slack-post:') ? [String(key)] : [];
  });

/** POST /incidents requests PagerDuty received, by incident key (not its deduplicated incidents). */
const pageRequests = (fakes: Fakes) =>
  fakes.pd.state.requests.flatMap((r) =>
    r.method === 'POST' && r.path === '/incidents'
      ? [String((r.body as { incident?: { incident_key?: unknown } }).incident?.incident_key)]
      : [],
  );

describe('SIGKILL three times during an alert storm', () => {
  let database: TestDatabase;
  let fakes: Fakes;
  let app: AppProcess;
  const started: SpawnedApp[] = [];

  /** main.ts on the file's database and fakes; leases of 2 s so a dead process's jobs come back fast. */
  function spawn(crashAt?: string) {
    const spawned = spawnAppProcess(
      testEnv(database.url, fakes, {
        FAILSAFE_TEST_LEASE_SECONDS: '2',
        ...(crashAt ? { FAILSAFE_CRASH_AT: crashAt } : {}),
      }),
    );
    started.push(spawned);
    return spawned;
  }
  const start = () => spawn().started;

  beforeAll(async () => {
    [database, fakes] = await Promise.all([createTestDatabase(), startFakes()]);
    app = await start();
  });
  afterAll(async () => {
    for (const { child } of started) child.kill('SIGKILL');
    await Promise.all(started.map((p) => p.ended));
    await fakes?.close();
    await database?.drop();
  });

  it('stores every alert it took, and pages and announces each incident once', async () => {
    // Kill 1 as PagerDuty takes the first page, before the app can hear the answer.
    const firstPage = new Promise<void>((resolve) => {
      const off = fakes.pd.onRequest((r) => {
        if (r.method !== 'POST' || r.path !== '/incidents') return;
        off();
        app.child.kill('SIGKILL');
        resolve();
      });
    });
    const all = payloads();
    const target = {
      get url() {
        return app.url;
      },
    };
    const storm = alertStorm(target, all, 8, {
      source: 'alertmanager',
      body: alertmanagerBody,
      resendUnanswered: true,
    });
    const kills: { signal: NodeJS.Signals | null }[] = [];
    /** A process armed at `point`, fed by the storm while it listens, until it kills itself. */
    async function armed(point: string): Promise<void> {
      const spawned = spawn(point);
      spawned.started.then(
        (p) => {
          app = p;
        },
        () => {},
      );
      const finished = storm.done.then(() => {
        throw new Error(`the storm ended before the process armed at ${point} died`);
      });
      // Only the race reads it: once the process has died, the storm's end is no failure.
      finished.catch(() => {});
      kills.push(await Promise.race([spawned.ended, finished]));
    }

    await firstPage;
    kills.push(await app.ended);
    // Kill 2, perhaps before it listens (its workers take the dead process's page at once).
    await armed('effect-performed:slack-post:');
    // Kill 3: the late feature's incident is committed and answered, its page not queued.
    await armed('alerts-committed');
    expect(storm.taken.length).toBeLessThan(all.length);
    app = await start();
    await storm.done;
    expect(kills).toEqual([
      { code: null, signal: 'SIGKILL' },
      { code: null, signal: 'SIGKILL' },
      { code: null, signal: 'SIGKILL' },
    ]);
    // The kills were seen: some requests got no answer or a 5xx and were sent again.
    expect(storm.answers.filter((a) => a.status !== 202).length).toBeGreaterThan(0);

    // The page lost with kill 3 is in no queue: only the page sweep (a timer, every 5 s, on
    // every process) finds it, so the queue can look idle before it is sent.
    await waitUntil(
      () => database.query("SELECT feature_key FROM incident WHERE page_state <> 'sent'"),
      (rows) => rows.length === 0,
      { what: 'every incident paged, the one lost at its commit by the sweep', timeoutMs: 15_000 },
    );
    await waitForQueueIdle({ database }, { timeoutMs: 20_000 });
    // Every alert of every payload answered 202 is stored, once.
    const taken = new Set(storm.taken);
    expect(taken.size).toBe(all.length);
    const wanted = new Set(all.filter((p) => taken.has(p.fingerprint)).flatMap((p) => p.alerts));
    const stored = await database.query<{ fingerprint: string }>('SELECT fingerprint FROM alert');
    expect(stored.map((r) => r.fingerprint).sort()).toEqual([...wanted].sort());
    // And each payload's raw body, named by its first alert (new in that payload): the repeats
    // would hide a lost payload from the alert rows above.
    const raw = await database.query<{ first: string }>(
      "SELECT DISTINCT body->'alerts'->0->>'fingerprint' AS first FROM inbound_payload WHERE kind = 'alertmanager'",
    );
    const firsts = new Set(raw.map((r) => r.first));
    expect(all.filter((p) => !firsts.has(p.alerts[0] as string)).map((p) => p.fingerprint)).toEqual([]);

    const incidents = await database.query<{
      id: string;
      feature_key: string;
      page_state: string;
      key: string;
    }>('SELECT id, feature_key, page_state, pd_dedup_key AS key FROM incident ORDER BY feature_key');
    // One page request and one announcement Slack took per incident, as the fakes received
    // them; one picture, so a failure shows every incident's counts and which requests came.
    // A post Slack rate-limited may retry later than the idle check looks ahead (25 s): wait for
    // each announcement, then for the queue again, and only then count.
    await waitUntil(
      async () => announcements(fakes),
      (keys) => incidents.every((i) => keys.includes(`slack-post:${i.id}`)),
      { what: 'an announcement Slack took for every incident', timeoutMs: 60_000 },
    ).catch(() => undefined);
    await waitForQueueIdle({ database }, { timeoutMs: 30_000 });
    const pages = pageRequests(fakes);
    const posts = announcements(fakes);
    const counted = incidents.map((i) => ({
      feature: i.feature_key,
      page: i.page_state,
      pages: pages.filter((k) => k === i.key).length,
      posts: posts.filter((k) => k === `slack-post:${i.id}`).length,
    }));
    const once = (feature: string) => ({ feature, page: 'sent', pages: 1, posts: 1 });
    expect({ counted, pages: pages.length, posts: posts.length }).toEqual({
      counted: [once('ai-search-summaries'), once('ai-support-bot'), once('unrouted')],
      pages: 3,
      posts: 3,
    });
  }, 180_000);
});
