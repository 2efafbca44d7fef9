// POST /alerts/langfuse and signed POST /alerts/grafana over real HTTP against a running app:
// a Langfuse monitor opens one incident with its permalink in the page message, repeats are
// deduplicated, the recovery resolves it; every refused request writes nothing.
import { describe, expect, it } from 'vitest';
import { signGrafana, signLangfuse } from '../../../src/capabilities/alert-intake/index.ts';
import { contract, fixture } from '../../support/fixtures.ts';
import { ALERT_TOKEN, useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';
import { rowCounts } from './intake-helpers.ts';

const LF_OLD = 'lf-whsec_0123456789abcdef0123456789abcdef';
const LF_NEW = 'lf-whsec_fedcba9876543210fedcba9876543210';
const GF = 'grafana-hmac-secret-0123456789';
const GF2 = 'grafana-hmac-secret-rotated-987';

const ctx = useRunningApp({
  extra: { LANGFUSE_WEBHOOK_SECRETS: `${LF_OLD}, ${LF_NEW}`, GRAFANA_WEBHOOK_SECRET: `${GF},${GF2}` },
});

const nowS = () => Math.floor(Date.now() / 1000);
const text = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));

function postLangfuse(
  body: unknown,
  { secret = LF_OLD, at = nowS(), header }: { secret?: string; at?: number; header?: string } = {},
) {
  const raw = text(body);
  return fetch(`${ctx.app.url}/alerts/langfuse`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Langfuse/1.0',
      'x-langfuse-signature': header ?? signLangfuse(secret, raw, at),
    },
    body: raw,
  });
}

function postGrafana(raw: string, headers: Record<string, string>) {
  return fetch(`${ctx.app.url}/alerts/grafana`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
  });
}

/** What only the intake writes: pages and Slack posts queued by earlier tests add timeline entries at any time. */
async function intakeRows() {
  const { inbound_payload, alert, incident } = await rowCounts(ctx.database);
  return { inbound_payload, alert, incident };
}

async function refusedWithNothingWritten(res: Response, status: number, error: string, field?: string) {
  const before = await intakeRows();
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string; message: string; field?: string };
  expect(body.error).toBe(error);
  if (field) expect(body.field).toBe(field);
  expect(await intakeRows()).toEqual(before);
  return body;
}

const alerting = () => contract('langfuse/monitor-alert-alert.json');
const recovered = () => contract('langfuse/monitor-alert-ok.json');
const PERMALINK = 'https://cloud.langfuse.com/project/cmj4pr0j3ct0001/alerts/cmj4m0n1t0r0001';

describe('Langfuse signatures', () => {
  // Every refusal runs against the same state, so "nothing written" is exact. Stale and future are
  // a minute past the 5 min window: at 301 s a request the loaded machine took a second to answer
  // is inside it again (the exact boundary is signatures.test.ts's, on a fixed clock).
  it('refuses a wrong secret, a tampered body, stale and future timestamps and a missing header with 401', async () => {
    const raw = text(alerting());
    const cases: [string, Promise<Response>][] = [
      ['wrong secret', postLangfuse(raw, { secret: 'lf-whsec_someone-elses-secret-000' })],
      ['stale', postLangfuse(raw, { at: nowS() - 360 })],
      ['future', postLangfuse(raw, { at: nowS() + 360 })],
      [
        'tampered',
        postLangfuse(raw.replace('below', 'above'), { header: signLangfuse(LF_OLD, raw, nowS()) }),
      ],
      [
        'missing',
        fetch(`${ctx.app.url}/alerts/langfuse`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: raw,
        }),
      ],
      ['malformed', postLangfuse(raw, { header: `t=${nowS()},s=${'a'.repeat(64)}` })],
      [
        'bearer instead',
        fetch(`${ctx.app.url}/alerts/langfuse`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
          body: raw,
        }),
      ],
    ];
    for (const [what, pending] of cases) {
      const body = await refusedWithNothingWritten(await pending, 401, 'invalid_signature');
      expect(body.message, what).toMatch(/x-langfuse-signature/);
    }
    expect(await rowCounts(ctx.database)).toMatchObject({ inbound_payload: 0, incident: 0 });
  });

  it('answers 400 naming the field for a signed body it cannot read, and 413 over 1 MiB', async () => {
    const body = alerting();
    const noMonitor = { ...body, payload: { ...(body.payload as object), monitorId: 42 } };
    await refusedWithNothingWritten(
      await postLangfuse(noMonitor),
      400,
      'invalid_payload',
      'payload.monitorId',
    );
    await refusedWithNothingWritten(await postLangfuse('{"id": '), 400, 'invalid_json');
    const huge = { ...body, padding: 'x'.repeat(1024 * 1024) };
    await refusedWithNothingWritten(await postLangfuse(huge), 413, 'payload_too_large');
  });
});

describe('a Langfuse monitor alert', () => {
  const incidents = () =>
    ctx.database.query<{ id: string; status: string; slack_ts: string | null; source_url: string | null }>(
      `SELECT id, status, slack_ts, source_url FROM incident WHERE feature_key = 'ai-support-bot'`,
    );

  it('opens one incident for the mapped feature, with the permalink in the page message', async () => {
    const res = await postLangfuse(alerting());
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { outcomes: object; incidents: string[] };
    expect(answer.outcomes).toEqual({ new_incident: 1 });
    const [incident] = await waitUntil(incidents, (r) => r[0]?.slack_ts != null, {
      what: 'the page message',
    });
    expect(incident).toMatchObject({ id: answer.incidents[0], source_url: PERMALINK });
    const message = await ctx.fakes.slack.waitForMessage((m) => m.ts === incident?.slack_ts);
    expect(JSON.stringify(message.blocks)).toContain(`<${PERMALINK}|Alert source>`);
    expect(message.text).toContain('[ALERT] Support bot answer score');
    expect(ctx.fakes.pd.state.incidents.filter((i) => i.service.id === 'PSVC1')).toHaveLength(1);
  });

  it('deduplicates a repeat (a renotify: a new event id, signed with the second secret) into the same alert', async () => {
    const renotify = { ...alerting(), id: '7c1d2e3f-renotify', timestamp: '2026-12-02T10:30:00.000Z' };
    const res = await postLangfuse(renotify, { secret: LF_NEW });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { outcomes: object }).outcomes).toEqual({ repeat: 1 });
    const alerts = await ctx.database.query(
      `SELECT receive_count, status FROM alert WHERE source = 'langfuse'`,
    );
    expect(alerts).toEqual([{ receive_count: 2, status: 'firing' }]);
    expect(await incidents()).toHaveLength(1);
  });

  it('resolves the incident when the monitor recovers', async () => {
    const res = await postLangfuse(recovered());
    expect(res.status).toBe(202);
    expect(((await res.json()) as { outcomes: object }).outcomes).toEqual({ resolved: 1 });
    const [incident] = await incidents();
    expect(incident?.status).toBe('resolved');
    await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === incident?.slack_ts && JSON.stringify(m.blocks).includes('RESOLVED'),
      15_000,
    );
  });

  it('stores a prompt-version event and acknowledges it without an alert', async () => {
    const before = await intakeRows();
    const res = await postLangfuse(contract('langfuse/prompt-version-created.json'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 0, ignored: 'prompt-version' });
    expect(await intakeRows()).toEqual({ ...before, inbound_payload: Number(before.inbound_payload) + 1 });
  });
});

describe('Grafana with GRAFANA_WEBHOOK_SECRET set', () => {
  const firing = (fp: string) => {
    const body = fixture('grafana/firing.json') as { alerts: { fingerprint: string }[] };
    return text({ ...body, alerts: body.alerts.slice(0, 1).map((a) => ({ ...a, fingerprint: fp })) });
  };
  const signed = (raw: string, secret = GF, at = nowS()) => ({
    'x-grafana-alerting-signature': signGrafana(secret, raw, at),
    'x-grafana-alerting-timestamp': String(at),
  });

  it('takes a request signed over "<timestamp>:<body>", or over the body alone, with either secret', async () => {
    for (const [fp, headers] of [
      ['gf-ts', (raw: string) => signed(raw)],
      ['gf-rotated', (raw: string) => signed(raw, GF2)],
      ['gf-no-ts', (raw: string) => ({ 'x-grafana-alerting-signature': signGrafana(GF, raw) })],
    ] as const) {
      const raw = firing(fp);
      const res = await postGrafana(raw, headers(raw));
      expect(res.status, fp).toBe(202);
    }
  });

  it('refuses a wrong secret, a tampered body, a stale timestamp and a bearer token alone with 401', async () => {
    const raw = firing('gf-refused');
    const cases: Record<string, string>[] = [
      signed(raw, 'grafana-someone-elses-secret'),
      signed(raw, GF, nowS() - 360),
      { ...signed(raw), 'x-grafana-alerting-timestamp': String(nowS() + 1) },
      { authorization: `Bearer ${ALERT_TOKEN}` },
    ];
    for (const headers of cases)
      await refusedWithNothingWritten(await postGrafana(raw, headers), 401, 'invalid_signature');
    const tampered = raw.replace('gf-refused', 'gf-tampered');
    await refusedWithNothingWritten(await postGrafana(tampered, signed(raw)), 401, 'invalid_signature');
    const alerts = await ctx.database.query(
      `SELECT 1 FROM alert WHERE fingerprint IN ('gf-refused', 'gf-tampered')`,
    );
    expect(alerts).toEqual([]);
  });
});

describe('a Langfuse monitor with hostile text and permalink', () => {
  it('pages with no live mention and the permalink kept inside its own link', async () => {
    const body = alerting();
    const payload = body.payload as Record<string, unknown>;
    const hostile = {
      ...body,
      id: 'hostile-1',
      payload: {
        ...payload,
        monitorId: 'cmj4m0n1t0rEVIL',
        permalink: 'https://cloud.langfuse.com/p/x?a=1|<!channel>',
        message: { title: '<!channel> refunds *leak* <https://evil.example|click>', body: '<@U123>' },
        filters: [{ type: 'string', column: 'ai_feature', operator: '=', value: 'search-summaries' }],
      },
    };
    const res = await postLangfuse(hostile);
    expect(res.status).toBe(202);
    const [incident] = await waitUntil(
      () =>
        ctx.database.query<{ slack_ts: string | null }>(
          `SELECT slack_ts FROM incident WHERE feature_key = 'ai-search-summaries'`,
        ),
      (r) => r[0]?.slack_ts != null,
      { what: 'the hostile page message' },
    );
    const message = await ctx.fakes.slack.waitForMessage((m) => m.ts === incident?.slack_ts);
    const all = `${message.text} ${JSON.stringify(message.blocks)}`;
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.example|click>');
    expect(all).toContain('&lt;!channel&gt; refunds');
    expect(JSON.stringify(message.blocks)).toContain(
      '<https://cloud.langfuse.com/p/x?a=1%7C%3C!channel%3E|Alert source>',
    );
  });
});
