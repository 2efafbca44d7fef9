// The incident message's buttons reach Failsafe through Bolt's real request verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, genericAlert, postAlert, startApp, startFakes } from '../../support/harness.ts';
import { blockActionBody, sendSlackRequest } from '../../support/slack-request.ts';
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

async function pagedIncident() {
  await postAlert(app, 'generic', genericAlert('button-1'));
  const [row] = await waitUntil(
    () => database.query('SELECT id, slack_ts, pd_incident_url, status FROM incident'),
    (rows) => rows[0]?.slack_ts != null,
  );
  return row as { id: string; slack_ts: string; pd_incident_url: string; status: string };
}

describe('incident buttons', () => {
  it('answers a signed click in the clicker’s view with where to act, and changes nothing', async () => {
    const incident = await pagedIncident();
    const responseUrl = fakes.slack.controls.responseUrl();
    const body = blockActionBody({
      action_id: 'incident_acknowledge',
      value: incident.id,
      message: { ts: incident.slack_ts },
      response_url: responseUrl,
    });
    const res = await sendSlackRequest(`${app.url}/slack/events`, body);
    expect(res.status).toBe(200);
    const reply = await fakes.slack.waitForResponse((p) => p.path.endsWith(new URL(responseUrl).pathname));
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(reply.body)).toContain(incident.pd_incident_url);
    const [after] = await database.query('SELECT status FROM incident WHERE id = $1', [incident.id]);
    expect(after?.status).toBe(incident.status);
  });

  it('rejects a click with a bad signature or a stale timestamp with 401', async () => {
    const body = blockActionBody({ action_id: 'incident_resolve', value: 'x', message: { ts: '1.2' } });
    const forged = await sendSlackRequest(`${app.url}/slack/events`, body, { signingSecret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await sendSlackRequest(`${app.url}/slack/events`, body, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
  });
});
