// The incident message's buttons reach Failsafe only through Bolt's real request verification
// (what a verified click does is in actions.test.ts).
import { describe, expect, it } from 'vitest';
import { useRunningApp } from '../../support/harness.ts';
import { blockActionBody, sendSlackRequest } from '../../support/slack-request.ts';

const ctx = useRunningApp();

describe('incident buttons', () => {
  it('rejects a click with a bad signature or a stale timestamp with 401', async () => {
    const body = blockActionBody({ action_id: 'incident_resolve', value: 'x', message: { ts: '1.2' } });
    const forged = await sendSlackRequest(`${ctx.app.url}/slack/events`, body, {
      signingSecret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const stale = await sendSlackRequest(`${ctx.app.url}/slack/events`, body, {
      now: () => Date.now() - 6 * 60 * 1000,
    });
    expect(stale.status).toBe(401);
  });
});
