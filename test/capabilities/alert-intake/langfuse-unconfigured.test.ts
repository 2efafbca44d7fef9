// Without LANGFUSE_WEBHOOK_SECRETS or GRAFANA_WEBHOOK_SECRET: /alerts/langfuse says what to set
// and writes nothing, and /alerts/grafana takes the bearer token as it always did.
import { describe, expect, it } from 'vitest';
import { signGrafana, signLangfuse } from '../../../src/capabilities/alert-intake/index.ts';
import { contract, fixture } from '../../support/fixtures.ts';
import { postAlert, useRunningApp } from '../../support/harness.ts';
import { rowCounts } from './intake-helpers.ts';

const ctx = useRunningApp();

describe('unconfigured signed sources', () => {
  it('answers /alerts/langfuse 404 naming LANGFUSE_WEBHOOK_SECRETS, even for a well-signed body', async () => {
    const raw = JSON.stringify(contract('langfuse/monitor-alert-alert.json'));
    const at = Math.floor(Date.now() / 1000);
    const res = await fetch(`${ctx.app.url}/alerts/langfuse`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-langfuse-signature': signLangfuse('lf-whsec_0123456789abcdef0123456789abcdef', raw, at),
      },
      body: raw,
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('not_configured');
    expect(body.message).toContain('LANGFUSE_WEBHOOK_SECRETS');
    expect(await rowCounts(ctx.database)).toMatchObject({ inbound_payload: 0, alert: 0, incident: 0 });
  });

  it('keeps Grafana on the bearer token: a signature alone is refused, the token is taken', async () => {
    const raw = JSON.stringify(fixture('grafana/firing.json'));
    const signatureOnly = await fetch(`${ctx.app.url}/alerts/grafana`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-grafana-alerting-signature': signGrafana('grafana-hmac-secret-0123456789', raw),
      },
      body: raw,
    });
    expect(signatureOnly.status).toBe(401);
    expect(((await signatureOnly.json()) as { error: string }).error).toBe('unauthorized');
    expect((await postAlert(ctx.app, 'grafana', raw)).status).toBe(202);
  });
});
