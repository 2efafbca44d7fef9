// Nobody acknowledges: after the feature's ack timeout Failsafe says so and escalates,
// once, even across a restart and with two replicas; an acknowledgement disarms the timer.
// At the policy's last level (Sam Lee, level 2 of PEP1) it says nobody is further, and stops.
// The feature's ack timeout is the default 5 min, and no test waits for it: passTime lets it
// pass for the app's clock and the stored timer at once, then awaits the idle queue.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { testClock } from '../../support/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, genericAlert, postAlert, startApp, startFakes } from '../../support/harness.ts';
import { passTime, SHORT_MS } from '../../support/timers.ts';
import { waitUntil } from '../../support/wait.ts';

let fakes: Fakes;
let database: TestDatabase;
const apps: Running[] = [];
const clock = testClock(Date.now());
const FAST = { clock, queue: { random: () => 0.05, pollingIntervalSeconds: 0.5 } };
/** The catalog's default ack_timeout. */
const ACK_TIMEOUT_MS = 5 * 60_000;

async function launch(): Promise<Running> {
  const app = await startApp(database.url, fakes, {}, FAST);
  apps.push(app);
  return app;
}

beforeAll(async () => {
  fakes = await startFakes();
});
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  await database.drop();
});
afterAll(async () => {
  await fakes.close();
});

const LAST_LEVEL = 'is at the last level of its escalation policy (level 2); nobody further to page.';
/** Posts since the `from`-th Slack call (the fakes serve every test in this file). */
const inChannel = (text: string, from: number) =>
  fakes.slack.state.calls
    .slice(from)
    .filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0ALERTS' &&
        String(c.args.text).includes(text),
    );

const escalations = (pdId: string) =>
  fakes.pd.state.requests.filter(
    (r) =>
      r.method === 'PUT' &&
      r.path === `/incidents/${pdId}` &&
      JSON.stringify(r.body).includes('escalation_level'),
  );

const pendingTimers = () =>
  database.query(
    "SELECT state::text AS state FROM pgboss.job WHERE name = 'ack-timeout' AND state NOT IN ('completed')",
  );
const levelOf = async (incidentId: string) =>
  (
    await database.query<{ escalation_level: number }>(
      'SELECT escalation_level FROM incident WHERE id = $1',
      [incidentId],
    )
  )[0]?.escalation_level;

async function paged(app: Running, fp: string) {
  await postAlert(app, 'generic', genericAlert(fp));
  const [row] = await waitUntil(
    () => database.query('SELECT id, pd_incident_id, slack_ts FROM incident'),
    (rows) => rows[0]?.slack_ts != null,
  );
  return row as { id: string; pd_incident_id: string; slack_ts: string };
}

describe('acknowledgement timeout', () => {
  it('says who has not acknowledged, escalates once to the next level, and survives a restart', async () => {
    const from = fakes.slack.state.calls.length;
    const first = await launch();
    const incident = await paged(first, 'timeout-1');
    await first.stop();
    await launch();
    // Short of the timeout by SHORT_MS: nobody has been told anything yet.
    await passTime({ database }, clock, ACK_TIMEOUT_MS - SHORT_MS);
    expect(escalations(incident.pd_incident_id)).toHaveLength(0);
    expect(inChannel('has not acknowledged', from)).toHaveLength(0);
    await passTime({ database }, clock, SHORT_MS);
    expect(await levelOf(incident.id)).toBe(2);
    expect(escalations(incident.pd_incident_id)).toHaveLength(1);
    expect(escalations(incident.pd_incident_id)[0]?.headers.from).toBe('failsafe@example.com');
    expect(inChannel('Jane Doe has not acknowledged after 5 min — escalating.', from)).toHaveLength(1);
    const message = fakes.slack.controls.messagesIn('C0ALERTS').find((m) => m.ts === incident.slack_ts);
    expect(JSON.stringify(message?.blocks)).toContain('Escalated to *Sam Lee*');
  });

  it('stops at the last level: says so once, sends PagerDuty no level beyond it, arms no timer', async () => {
    const from = fakes.slack.state.calls.length;
    const app = await launch();
    const incident = await paged(app, 'timeout-last');
    // Jane's timer fires: one PUT to level 2, and a timer re-armed for Sam Lee.
    await passTime({ database }, clock, ACK_TIMEOUT_MS);
    expect(escalations(incident.pd_incident_id)).toHaveLength(1);
    expect(inChannel(LAST_LEVEL, from)).toHaveLength(0);
    expect(await pendingTimers()).toEqual([{ state: 'created' }]);
    // Sam Lee's fires at the last level, and then three more timeouts' worth of time.
    for (let i = 0; i < 4; i++) await passTime({ database }, clock, ACK_TIMEOUT_MS);
    expect(escalations(incident.pd_incident_id).map((r) => JSON.stringify(r.body))).toEqual([
      JSON.stringify({ incident: { type: 'incident_reference', escalation_level: 2 } }),
    ]);
    expect(inChannel(LAST_LEVEL, from)).toHaveLength(1);
    expect(inChannel('— escalating', from)).toHaveLength(1);
    expect(await levelOf(incident.id)).toBe(2);
    expect(await pendingTimers()).toEqual([]);
  });

  it('escalates once with two replicas on one database, and says the last level once', async () => {
    const from = fakes.slack.state.calls.length;
    const [a] = [await launch(), await launch()];
    const incident = await paged(a as Running, 'timeout-2');
    await passTime({ database }, clock, ACK_TIMEOUT_MS);
    expect(await levelOf(incident.id)).toBe(2);
    expect(escalations(incident.pd_incident_id)).toHaveLength(1);
    await passTime({ database }, clock, ACK_TIMEOUT_MS);
    expect(escalations(incident.pd_incident_id)).toHaveLength(1);
    expect(inChannel('— escalating', from)).toHaveLength(1);
    expect(inChannel(LAST_LEVEL, from)).toHaveLength(1);
  });

  it('does nothing when the page was acknowledged in time', async () => {
    const from = fakes.slack.state.calls.length;
    const app = await launch();
    const incident = await paged(app, 'timeout-3');
    await database.query("UPDATE incident SET status = 'acknowledged' WHERE id = $1", [incident.id]);
    await passTime({ database }, clock, ACK_TIMEOUT_MS);
    const fired = await database.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ack-timeout' AND state = 'completed'",
    );
    expect(fired).toEqual([{ n: 1 }]);
    expect(escalations(incident.pd_incident_id)).toHaveLength(0);
    expect(inChannel('has not acknowledged', from)).toHaveLength(0);
    expect(await pendingTimers()).toEqual([]);
  });
});
