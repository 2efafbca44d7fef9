// Every way POST /alerts/:source can refuse a request, over real HTTP against a running app.
// A rejection must write nothing and reach neither PagerDuty nor Slack.
import { afterEach, describe, expect, it } from 'vitest';
import { contract, fixture } from '../../support/fixtures.ts';
import { ALERT_TOKEN, genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { metricValue, postChunked, rowCounts } from './intake-helpers.ts';

const ctx = useRunningApp();

// Each rejection is checked against the empty starting state: nothing written, nobody called.
afterEach(async () => {
  expect(await rowCounts(ctx.database)).toEqual({
    inbound_payload: 0,
    alert: 0,
    incident: 0,
    timeline_entry: 0,
  });
  expect(ctx.fakes.pd.state.requests).toEqual([]);
  expect(ctx.fakes.slack.state.calls).toEqual([]);
});

const MIB = 1024 * 1024;

async function expectError(res: Response, status: number, error: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: string; message: string; field?: string };
  expect(body.error).toBe(error);
  expect(typeof body.message).toBe('string');
  if (field === undefined) expect(body).not.toHaveProperty('field');
  else expect(body.field).toBe(field);
  return body;
}

describe('authentication', () => {
  it('answers 401 without an Authorization header', async () => {
    const res = await fetch(`${ctx.app.url}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(genericAlert('no-auth')),
    });
    await expectError(res, 401, 'unauthorized');
  });

  it('answers 401 for a wrong token of the same length', async () => {
    const wrong = `${ALERT_TOKEN.slice(0, -1)}X`;
    const res = await postAlert(ctx.app, 'generic', genericAlert('wrong'), {
      authorization: `Bearer ${wrong}`,
    });
    await expectError(res, 401, 'unauthorized');
  });

  it('answers 401 for a token of another length, a prefix of the real one, or another scheme', async () => {
    for (const authorization of [
      `Bearer ${ALERT_TOKEN}0`,
      `Bearer ${ALERT_TOKEN.slice(0, 8)}`,
      'Bearer x',
      'Bearer ',
      `Basic ${Buffer.from(`failsafe:${ALERT_TOKEN}`).toString('base64')}`,
      ALERT_TOKEN,
    ]) {
      const res = await postAlert(ctx.app, 'generic', genericAlert('len'), { authorization });
      await expectError(res, 401, 'unauthorized');
    }
  });

  it('checks the token before reading the body, so an oversized unauthenticated post is 401', async () => {
    const res = await postAlert(ctx.app, 'generic', 'x'.repeat(MIB + 1), { authorization: 'Bearer nope' });
    await expectError(res, 401, 'unauthorized');
  });
});

describe('body size', () => {
  it('answers 413 when Content-Length says more than 1 MiB', async () => {
    const body = JSON.stringify({ ...genericAlert('big'), description: 'x'.repeat(MIB) });
    const res = await postAlert(ctx.app, 'generic', body);
    await expectError(res, 413, 'payload_too_large');
  });

  it('answers 413 for a chunked upload (no Content-Length) that grows past 1 MiB', async () => {
    const head = Buffer.from(`{"summary":"s","fingerprint":"chunked","description":"`);
    const chunks = [
      head,
      ...Array.from({ length: 17 }, () => Buffer.alloc(64 * 1024, 'x')),
      Buffer.from('"}'),
    ];
    const res = await postChunked(
      ctx.app,
      '/alerts/generic',
      { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      chunks,
    );
    expect(res.status).toBe(413);
    expect(res.headers['content-length']).toBeDefined();
    expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers 415 for a non-JSON content type, whatever the body', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      const res = await postAlert(ctx.app, 'generic', JSON.stringify(genericAlert('plain')), {
        'content-type': type,
      });
      await expectError(res, 415, 'unsupported_media_type');
    }
  });
});

describe('validation', () => {
  it('answers 400 naming the body for invalid JSON', async () => {
    const res = await postAlert(ctx.app, 'generic', '{"summary": "half an object"');
    await expectError(res, 400, 'invalid_json', 'body');
  });

  it('answers 400 for a NUL character, which the database could never store', async () => {
    const res = await postAlert(ctx.app, 'generic', '{"summary": "a\\u0000b", "fingerprint": "nul"}');
    const body = await expectError(res, 400, 'invalid_payload', 'summary');
    expect(body.message).toContain('NUL');
  });

  it('names `version` for an Alertmanager payload of another version', async () => {
    const payload = { ...contract('alertmanager/firing-two-alerts.json'), version: '3' };
    const body = await expectError(
      await postAlert(ctx.app, 'alertmanager', payload),
      400,
      'invalid_payload',
      'version',
    );
    expect(body.message).toMatch(/^version: /);
  });

  it('names `alerts.0.startsAt` for an Alertmanager alert with a bad start time', async () => {
    const payload = contract('alertmanager/firing-two-alerts.json') as { alerts: object[] };
    payload.alerts[0] = { ...payload.alerts[0], startsAt: 'yesterday' };
    await expectError(
      await postAlert(ctx.app, 'alertmanager', payload),
      400,
      'invalid_payload',
      'alerts.0.startsAt',
    );
  });

  it('names the field for Grafana and generic schema failures', async () => {
    const grafana = fixture('grafana/firing.json') as { alerts: Record<string, unknown>[] };
    grafana.alerts[1] = { ...grafana.alerts[1], status: 'pending' };
    const res = await postAlert(ctx.app, 'grafana', grafana);
    await expectError(res, 400, 'invalid_payload', 'alerts.1.status');

    const { fingerprint: _, ...noId } = genericAlert('x');
    await expectError(await postAlert(ctx.app, 'generic', noId), 400, 'invalid_payload', 'fingerprint');
    const badSeverity = genericAlert('sev', 'ai-support-bot', { severity: 'apocalyptic' });
    await expectError(await postAlert(ctx.app, 'generic', badSeverity), 400, 'invalid_payload', 'severity');
    const batch = { alerts: [genericAlert('ok'), genericAlert('bad', 'ai-support-bot', { summary: ' ' })] };
    await expectError(await postAlert(ctx.app, 'generic', batch), 400, 'invalid_payload', 'alerts.1.summary');
  });

  it('answers 400 naming the body for JSON that is not an object', async () => {
    for (const body of ['null', '[]', '"alert"', '42']) {
      await expectError(await postAlert(ctx.app, 'alertmanager', body), 400, 'invalid_payload', '(body)');
    }
  });

  it('counts a rejection as rejected in /metrics', async () => {
    const before = await metricValue(
      ctx.app,
      'failsafe_alerts_received_total{source="generic",outcome="rejected"}',
    );
    await postAlert(ctx.app, 'generic', '{');
    const after = await metricValue(
      ctx.app,
      'failsafe_alerts_received_total{source="generic",outcome="rejected"}',
    );
    expect(after).toBe(before + 1);
  });
});

describe('routing', () => {
  it('answers 404 for an unknown source, and 401 to a caller without a token', async () => {
    const res = await postAlert(ctx.app, 'nagios', genericAlert('nagios'));
    const body = await expectError(res, 404, 'unknown_source');
    expect(body.message).toContain('alertmanager');
    await expectError(
      await fetch(`${ctx.app.url}/alerts/nagios`, { method: 'POST', body: '{}' }),
      401,
      'unauthorized',
    );
  });

  it('answers 405 for GET on an alert endpoint', async () => {
    const res = await fetch(`${ctx.app.url}/alerts/generic`, {
      headers: { authorization: `Bearer ${ALERT_TOKEN}` },
    });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ error: 'method_not_allowed' });
  });
});
