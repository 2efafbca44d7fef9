// A reminder armed by one process is sent after it stopped, by the two replicas that
// replaced it, exactly once: the timer lives in the database, not in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, startApp, startFakes } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';
import { londonTomorrow, movableClock, openIncident, postsIn, postUpdate, reminderRan } from './helpers.ts';

let fakes: Fakes;
let database: TestDatabase;
const apps: Running[] = [];
const clock = movableClock();

async function launch(): Promise<Running> {
  const app = await startApp(database.url, fakes, {}, { clock, queue: { pollingIntervalSeconds: 0.5 } });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  [fakes, database] = await Promise.all([startFakes(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await fakes.close();
  await database.drop();
});

describe('reminders across a restart', () => {
  it('are sent once by the replicas that replaced the process that armed them', async () => {
    const first = await launch();
    clock.set(londonTomorrow(10, 24, 50));
    const incident = await openIncident(
      { database, fakes, app: first },
      'restart-1',
      'ai-support-bot',
      'C0RST1',
    );
    await database.query("UPDATE incident SET lead_slack_id = 'U0PAT' WHERE id = $1", [incident.id]);
    await postUpdate({ database, fakes, app: first }, 'C0RST1', {
      text: 'We disabled AI support bot after wrong refunds increased. No data loss confirmed.',
      next: '10:30',
    });
    await waitUntil(
      () => database.query<{ posts: unknown }>('SELECT posts FROM stakeholder_update'),
      (rows) => rows[0]?.posts !== null && rows.length === 1,
      { what: 'the update to be posted' },
    );
    await first.stop();
    const env = { database, fakes, app: first };
    expect(postsIn(env, 'C0RST1', 'Next stakeholder update')).toHaveLength(0);

    const [second] = await Promise.all([launch(), launch()]);
    const line = ':alarm_clock: Next stakeholder update due at 10:30 — /ai-update';
    await fakes.slack.waitForMessage((m) => m.channel === 'C0RST1' && m.text === line, 30_000);
    await reminderRan({ ...env, app: second as Running }, incident.id, londonTomorrow(10, 30), 'remind');
    await fakes.slack.waitForMessage(
      (m) => m.channel === 'DU0PAT' && m.text.includes('due at 10:30'),
      10_000,
    );
    expect(postsIn(env, 'C0RST1', 'Next stakeholder update')).toHaveLength(1);
    expect(postsIn(env, 'DU0PAT', 'Next stakeholder update')).toHaveLength(1);
  });
});
