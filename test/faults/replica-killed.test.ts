// Fault 6 of the suite: two replicas (main.ts children) on one database; the one that took an
// alert is SIGKILLed in the middle of its work, and the other, which never saw the alert,
// finishes it once the dead one's leases (2 s here) run out. Where the kill lands is a crash
// point of the dying replica: after PagerDuty has the page, after Slack has the announcement,
// and after the alerts are committed and answered but before the page is queued (a page only a
// sweep can find). Counted once the queue is idle, as the fakes received it: one POST
// /incidents and one announcement per incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Fakes, genericAlert, postAlert, startFakes, testEnv } from '../support/harness.ts';
import { waitForQueueIdle } from '../support/queue.ts';
import { waitUntil } from '../support/wait.ts';

let database: TestDatabase;
let fakes: Fakes;
/** The replica that survives every case; the dying ones come and go. */
let survivor: AppProcess;
const started: AppProcess[] = [];

async function start(crashAt?: string): Promise<AppProcess> {
  const app = await startAppProcess(
    testEnv(database.url, fakes, {
      FAILSAFE_TEST_LEASE_SECONDS: '2',
      ...(crashAt ? { FAILSAFE_CRASH_AT: crashAt } : {}),
    }),
  );
  started.push(app);
  return app;
}

beforeAll(async () => {
  [database, fakes] = await Promise.all([createTestDatabase(), startFakes()]);
  survivor = await start();
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await fakes?.close();
  await database?.drop();
});

const metadataKey = (args: Record<string, unknown>) =>
  String((args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key);

/**
 * Requests the fakes received for this incident: POST /incidents, and announcement posts that
 * Slack took (a 429 under its per-channel rate posts nothing).
 */
function received(incident: { id: string; pd_dedup_key: string }) {
  const pages = fakes.pd.state.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.path === '/incidents' &&
      (r.body as { incident?: { incident_key?: unknown } }).incident?.incident_key === incident.pd_dedup_key,
  );
  const posts = fakes.slack.state.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.response?.body.ok === true &&
      metadataKey(c.args) === `slack-post:${incident.id}`,
  );
  return { pages: pages.length, posts: posts.length };
}

interface IncidentRow {
  id: string;
  pd_dedup_key: string;
  page_state: string;
  pd_incident_id: string | null;
  slack_ts: string | null;
  paged_at: Date | null;
}

const incidentOf = async (feature: string) =>
  (
    await database.query<IncidentRow>(
      'SELECT id, pd_dedup_key, page_state, pd_incident_id, slack_ts, paged_at FROM incident WHERE feature_key = $1',
      [feature],
    )
  )[0];

/** How many processes claimed the effect: 2 when the survivor took over the dead one's claim. */
const claims = async (key: string) =>
  (
    await database.query<{ attempts: number }>('SELECT attempts FROM outbound_effect WHERE key = $1', [key])
  )[0]?.attempts;

/** Starts a replica armed at `crashAt`, sends it the feature's first alert and waits for its death. */
async function killedMidJob(crashAt: string, feature: string, fingerprint: string): Promise<number> {
  const dying = await start(crashAt);
  // Its answer may or may not get out before the kill; either way the alert is committed.
  await postAlert(dying, 'generic', genericAlert(fingerprint, feature)).catch(() => undefined);
  expect(await dying.ended).toEqual({ code: null, signal: 'SIGKILL' });
  return Date.now();
}

/** The survivor finishes the incident: paged and announced, and nothing left to run. */
async function finished(feature: string): Promise<IncidentRow> {
  await waitUntil(
    () => incidentOf(feature),
    (row) => row?.slack_ts != null,
    { what: `${feature} paged and announced by the survivor`, timeoutMs: 20_000 },
  );
  await waitForQueueIdle({ database });
  return (await incidentOf(feature)) as IncidentRow;
}

describe('two replicas on one database, one SIGKILLed mid-job', () => {
  it('the survivor adopts a page PagerDuty took from the dead replica: one POST /incidents', async () => {
    const diedAt = await killedMidJob('effect-performed:page:', 'ai-support-bot', 'mid-page');
    const incident = await finished('ai-support-bot');
    expect(incident.page_state).toBe('sent');
    expect(incident.pd_incident_id).toBe(fakes.pd.state.incidents[0]?.id);
    expect(received(incident)).toEqual({ pages: 1, posts: 1 });
    // Taken over, not redone from scratch: the dead claim ran out and the survivor claimed again.
    expect(await claims(`page:${incident.id}`)).toBe(2);
    expect(incident.paged_at?.getTime()).toBeGreaterThan(diedAt);
    expect(survivor.child.exitCode).toBeNull();
  }, 60_000);

  it('the survivor adopts an announcement Slack took from the dead replica: one post', async () => {
    await killedMidJob('effect-performed:slack-post:', 'ai-search-summaries', 'mid-post');
    const incident = await finished('ai-search-summaries');
    expect(received(incident)).toEqual({ pages: 1, posts: 1 });
    expect(await claims(`slack-post:${incident.id}`)).toBe(2);
    // The message the dead replica posted is the one recorded.
    const [message] = fakes.slack.controls.messagesIn('C0ALERTS').filter((m) => m.ts === incident.slack_ts);
    expect(message?.metadata?.event_payload.key).toBe(`slack-post:${incident.id}`);
  }, 60_000);

  it('the survivor pages an incident the dead replica committed but never queued a page for', async () => {
    const diedAt = await killedMidJob('alerts-committed', 'unrouted', 'unqueued');
    const pending = await incidentOf('unrouted');
    expect(pending?.page_state).toBe('pending');
    const incident = await finished('unrouted');
    expect(received(incident)).toEqual({ pages: 1, posts: 1 });
    // A live replica notices within seconds (a sweep every 5 s of pages 5 s overdue), not a minute later.
    expect((incident.paged_at?.getTime() ?? 0) - diedAt).toBeLessThan(15_000);
  }, 60_000);
});
