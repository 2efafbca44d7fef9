// Nobody acknowledges: after the feature's ack timeout Failsafe says so and escalates,
// once, even across a restart and with two replicas; an acknowledgement disarms the timer.
// At the policy's last level (Sam Lee, level 2 of PEP1) it says nobody is further, and stops.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { editedCatalog } from '../../support/catalog.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, genericAlert, postAlert, startApp, startFakes } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { waitUntil } from '../../support/wait.ts';

let fakes: Fakes;
let database: TestDatabase;
let catalog: string;
const apps: Running[] = [];
const FAST = { queue: { random: () => 0.05, pollingIntervalSeconds: 0.5 } };

async function launch(): Promise<Running> {
  const app = await startApp(database.url, fakes, { FAILSAFE_CONFIG: catalog }, FAST);
  apps.push(app);
  return app;
}

beforeAll(async () => {
  fakes = await startFakes();
  catalog = await editedCatalog((text) =>
    text.replace('  auto_resolve: true\n', '  auto_resolve: true\n  ack_timeout: 2s\n'),
  );
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
    const first = await launch();
    const incident = await paged(first, 'timeout-1');
    await first.stop();
    await launch();
    await waitUntil(
      () =>
        database.query('SELECT escalation_level, assignee_name FROM incident WHERE id = $1', [incident.id]),
      (rows) => rows[0]?.escalation_level === 2,
    );
    expect(escalations(incident.pd_incident_id)).toHaveLength(1);
    expect(escalations(incident.pd_incident_id)[0]?.headers.from).toBe('failsafe@example.com');
    await fakes.slack.waitForMessage((m) =>
      m.text.includes('Jane Doe has not acknowledged after 2 s — escalating'),
    );
    await fakes.slack.waitForMessage(
      (m) => m.ts === incident.slack_ts && JSON.stringify(m.blocks).includes('Escalated to *Sam Lee*'),
    );
  });

  it('stops at the last level: says so once, sends PagerDuty no level beyond it, arms no timer', async () => {
    const from = fakes.slack.state.calls.length;
    const app = await launch();
    const incident = await paged(app, 'timeout-last');
    // Jane's timer, then the one re-armed for Sam Lee, both fired.
    await waitUntil(
      () =>
        database.query(
          "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ack-timeout' AND state = 'completed'",
        ),
      (rows) => (rows[0]?.n ?? 0) >= 2,
    );
    await waitForQueueIdle({ database });
    expect(escalations(incident.pd_incident_id).map((r) => JSON.stringify(r.body))).toEqual([
      JSON.stringify({ incident: { type: 'incident_reference', escalation_level: 2 } }),
    ]);
    expect(inChannel(LAST_LEVEL, from)).toHaveLength(1);
    expect(inChannel('— escalating', from)).toHaveLength(1);
    const [row] = await database.query('SELECT escalation_level FROM incident WHERE id = $1', [incident.id]);
    expect(row?.escalation_level).toBe(2);
    const timers = await database.query(
      "SELECT state::text AS state FROM pgboss.job WHERE name = 'ack-timeout' AND state <> 'completed'",
    );
    expect(timers).toEqual([]);
  });

  it('escalates once with two replicas on one database', async () => {
    const [a] = [await launch(), await launch()];
    const incident = await paged(a as Running, 'timeout-2');
    await waitUntil(
      () =>
        database.query(
          "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ack-timeout' AND state = 'completed'",
        ),
      (rows) => (rows[0]?.n ?? 0) >= 1,
    );
    await waitUntil(
      () => database.query('SELECT escalation_level FROM incident WHERE id = $1', [incident.id]),
      (rows) => rows[0]?.escalation_level === 2,
    );
    expect(escalations(incident.pd_incident_id)).toHaveLength(1);
  });

  it('does nothing when the page was acknowledged in time', async () => {
    const app = await launch();
    const incident = await paged(app, 'timeout-3');
    await database.query("UPDATE incident SET status = 'acknowledged' WHERE id = $1", [incident.id]);
    await waitUntil(
      () =>
        database.query(
          "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ack-timeout' AND state = 'completed'",
        ),
      (rows) => (rows[0]?.n ?? 0) >= 1,
    );
    expect(escalations(incident.pd_incident_id)).toHaveLength(0);
  });
});
