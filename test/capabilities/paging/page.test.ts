import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, genericAlert, postAlert, startApp, startFakes } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';

let database: TestDatabase;
let fakes: Fakes;
let app: Running;

beforeAll(async () => {
  database = await createTestDatabase();
  fakes = await startFakes();
  app = await startApp(database.url, fakes);
});
afterAll(async () => {
  await app.stop();
  await fakes.close();
  await database.drop();
});

describe('an alert becomes a page for a named person', () => {
  it('creates one PagerDuty incident and one Slack message naming who was paged', async () => {
    const res = await postAlert(app, 'generic', genericAlert('fp-1'));
    expect(res.status).toBe(202);
    const incident = await fakes.pd.nextIncident();
    expect(incident.title).toContain('Hallucinated refunds');
    const message = await fakes.slack.waitForMessage((m) => m.channel === 'C0ALERTS');
    expect(message.text).toContain('Paged Jane Doe');
    expect(JSON.stringify(message.blocks)).toContain('<@U0JANE>');
    const [row] = await waitUntil(
      () => database.query('SELECT assignee_name, page_state, slack_ts FROM incident'),
      (rows) => rows[0]?.slack_ts != null,
    );
    expect(row).toMatchObject({ assignee_name: 'Jane Doe', page_state: 'sent', slack_ts: message.ts });
  });
});
