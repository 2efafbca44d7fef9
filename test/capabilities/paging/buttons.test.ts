// The incident message's buttons reach Failsafe only through Bolt's real request verification
// (what a verified click does is in actions.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type Fakes, startApp, startFakes } from '../../support/harness.ts';
import { blockActionBody, sendSlackRequest } from '../../support/slack-request.ts';

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

describe('incident buttons', () => {
  it('rejects a click with a bad signature or a stale timestamp with 401', async () => {
    const body = blockActionBody({ action_id: 'incident_resolve', value: 'x', message: { ts: '1.2' } });
    const forged = await sendSlackRequest(`${app.url}/slack/events`, body, {
      signingSecret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const stale = await sendSlackRequest(`${app.url}/slack/events`, body, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
  });
});
