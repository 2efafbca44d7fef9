// Fault 4 of the suite: PostgreSQL goes down in the middle of an alert storm, crashed or shut
// down cleanly, and comes back on the same port. main.ts runs as a child on a private cluster
// (the shared server must never go down) and is not restarted: while the database is down the
// intake answers 503 within moments, so Alertmanager-like senders retry; once it is back the
// pools reconnect and pg-boss resumes by itself. Counted at the end, as the fakes received it:
// every alert answered 202 is stored, one page and one announcement per incident, and the jobs
// waiting before the outage have run.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertStorm } from '../support/alert-senders.ts';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import type { TestDatabase } from '../support/database.ts';
import { type Fakes, genericAlert, startFakes, testEnv } from '../support/harness.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import { waitForQueueIdle } from '../support/queue.ts';
import { waitUntil } from '../support/wait.ts';

/** Long enough for every queue's worker to fail its polls and for a deferred retry to come due. */
const OUTAGE_MS = 3_000;

interface World {
  server: PrivatePostgres;
  fakes: Fakes;
  app: AppProcess;
  database: TestDatabase;
}

function useWorld(): World {
  const w = {} as World;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    [w.server, w.fakes] = await Promise.all([startPrivatePostgres(), startFakes()]);
    // The test's own reads; its connections die with the server too, and that must not throw.
    const p = new pg.Pool({ connectionString: w.server.url, max: 2 });
    p.on('error', () => {});
    pool = p;
    w.database = {
      url: w.server.url,
      name: 'postgres',
      query: async (sql, params = []) => (await p.query(sql, params)).rows,
      drop: async () => {},
    };
    // Leases of 2 s: an attempt the outage cut short is delivered again within seconds.
    w.app = await startAppProcess(testEnv(w.server.url, w.fakes, { FAILSAFE_TEST_LEASE_SECONDS: '2' }));
  });
  afterAll(async () => {
    await w.app?.stop();
    await pool?.end();
    await w.fakes?.close();
    await w.server?.remove();
  });
  return w;
}

const alertsFor = (prefix: string, feature: string, n: number) =>
  Array.from({ length: n }, (_, i) => genericAlert(`${prefix}-${i}`, feature));

/** Jobs waiting or running that are due soon (not the 5-minute ack timers, not periodic chains). */
const pendingJobs = (database: TestDatabase) =>
  database.query<{ id: string; name: string; attempt: number }>(
    `SELECT id::text, name, (data->>'attempt')::int AS attempt FROM pgboss.job
      WHERE state IN ('created', 'retry', 'active') AND start_after <= now() + interval '25 seconds'
        AND name NOT IN ('budget-evaluate', 'budget-report', 'postmortem-sweep')`,
  );

/** The effect keys of the incident messages Slack took (a rate-limited attempt is not one). */
const announced = (fakes: Fakes) =>
  fakes.slack.state.calls.flatMap((c) => {
    const key = (c.args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
    const ok = c.method === 'chat.postMessage' && c.response?.body.ok;
    return ok && String(key).startsWith('slack-post:') ? [String(key)] : [];
  });

describe.each([
  { how: 'crashed', down: (s: PrivatePostgres) => s.crash() },
  { how: 'shut down cleanly', down: (s: PrivatePostgres) => s.stop() },
])('PostgreSQL $how and started again during an alert storm', ({ down }) => {
  const w = useWorld();

  it('answers 503 while it is down, recovers without a restart and loses nothing it took', async () => {
    const { app, fakes, database } = w;
    // Before the outage: two incidents. The unrouted one's announcement is rate limited for 4 s,
    // so its retry is a job stored before the outage and due during or after it.
    fakes.slack.controls.failNext(1, {
      method: 'chat.postMessage',
      channel: 'C0DEFAULT',
      retryAfterSeconds: 4,
    });
    const before = alertStorm(
      app,
      [...alertsFor('bot-a', 'ai-support-bot', 30), ...alertsFor('unrouted-a', 'no-such-feature', 30)],
      8,
    );
    await before.done;
    const waiting = await waitUntil(
      () => pendingJobs(database),
      (jobs) => jobs.some((j) => j.name === 'slack-post' && j.attempt === 2),
      { what: 'the rate-limited announcement waiting in the queue' },
    );

    // The storm goes on; the database goes down under it.
    const during = alertStorm(
      app,
      [...alertsFor('bot-b', 'ai-support-bot', 150), ...alertsFor('unrouted-b', 'no-such-feature', 150)],
      8,
    );
    await waitUntil(
      async () => during.taken.length,
      (n) => n >= 20,
      { what: 'the storm under way' },
    );
    await down(w.server);
    const downAt = Date.now();
    // A feature whose first alert arrives while the database is down: opened once it is back.
    const fresh = alertStorm(app, alertsFor('search', 'ai-search-summaries', 40), 4);
    await waitUntil(
      async () => during.answers.filter((a) => a.status === 503 && a.at - downAt >= OUTAGE_MS).length,
      (n) => n > 0,
      { what: `503s for ${OUTAGE_MS} ms while the database is down`, timeoutMs: 10_000 },
    );
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe('unreachable');
    const upAt = Date.now();
    await w.server.start();
    await Promise.all([during.done, fresh.done]);

    // Nothing answered but 202 and 503, and no answer took long: a sender is never left hanging.
    const answers = [...before.answers, ...during.answers, ...fresh.answers];
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([202, 503]));
    expect(Math.max(...answers.map((a) => a.at - a.sent))).toBeLessThan(3_000);
    // Sent and answered while the database was down: refused, every one (a 202 then would be a
    // lie). One sent just before the restart may be stored once it is back, and 202 is then true.
    const whileDown = answers.filter((a) => a.sent > downAt && a.at < upAt);
    expect(whileDown.filter((a) => a.status !== 503)).toEqual([]);
    expect(app.child.exitCode).toBeNull();

    // Every alert that was answered 202 is stored, once.
    await waitForQueueIdle({ database }, { timeoutMs: 15_000 });
    const taken = [...before.taken, ...during.taken, ...fresh.taken];
    expect(taken).toHaveLength(400);
    const stored = await database.query<{ fingerprint: string }>('SELECT fingerprint FROM alert');
    expect(stored.map((r) => r.fingerprint).sort()).toEqual([...taken].sort());
    const incidents = await database.query<{ id: string; feature_key: string; page_state: string }>(
      'SELECT id, feature_key, page_state FROM incident ORDER BY feature_key',
    );
    expect(incidents.map((i) => [i.feature_key, i.page_state])).toEqual([
      ['ai-search-summaries', 'sent'],
      ['ai-support-bot', 'sent'],
      ['unrouted', 'sent'],
    ]);

    // One page and one announcement per incident, as PagerDuty and Slack received them.
    const pages = fakes.pd.state.requests.filter((r) => r.method === 'POST' && r.path === '/incidents');
    expect(pages).toHaveLength(3);
    expect(announced(fakes).sort()).toEqual(incidents.map((i) => `slack-post:${i.id}`).sort());

    // The queue resumed: what waited before the outage has run (inline jobs are deleted once
    // done), the rate-limited announcement's second attempt among them.
    const after = await database.query<{ id: string; name: string; state: string }>(
      'SELECT id::text, name, state::text FROM pgboss.job WHERE id::text = ANY($1)',
      [waiting.map((j) => j.id)],
    );
    expect(after.filter((j) => j.state !== 'completed')).toEqual([]);
    // At least the injected 429's retry; Slack's own per-channel limit may have held back another.
    expect(after.filter((j) => j.name === 'slack-post').length).toBeGreaterThanOrEqual(1);
    // And the message kept up with the storm: edited after the outage to the final count.
    const [bot] = await database.query<{ n: number }>(
      "SELECT alert_count AS n FROM incident WHERE feature_key = 'ai-support-bot'",
    );
    expect(bot?.n).toBe(180);
    await fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && m.text.includes('180 alerts'),
      10_000,
    );
  }, 30_000);
});
