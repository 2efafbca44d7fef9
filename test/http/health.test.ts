// /healthz, /readyz and /metrics over real HTTP, and the request id every custom route carries.
import { describe, expect, it } from 'vitest';
import type { Running } from '../../src/runtime.ts';
import { genericAlert, postAlert, startApp, useRunningApp } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const ctx = useRunningApp();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function readyz(target: Running = ctx.app) {
  const res = await fetch(`${target.url}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; checks: Record<string, string> },
  };
}

async function metricsText(): Promise<string> {
  const res = await fetch(`${ctx.app.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/healthz', () => {
  it('answers 200 while the process is up', async () => {
    const res = await fetch(`${ctx.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('/readyz', () => {
  it('answers 200 with the database and migrations checked, saying which mode runs', async () => {
    expect(await readyz()).toEqual({
      status: 200,
      body: {
        status: 'ready',
        mode: 'production',
        embeddedDatabase: false,
        checks: { shutdown: 'ok', database: 'ok', migrations: 'ok' },
      },
    });
  });

  it('answers 503 while draining, and 200 again once not', async () => {
    ctx.app.app.readiness.draining = true;
    try {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: 'not_ready', checks: { shutdown: 'draining', database: 'ok' } });
    } finally {
      ctx.app.app.readiness.draining = false;
    }
    expect((await readyz()).status).toBe(200);
  });

  it('answers 503 naming migrations when one is not applied', async () => {
    const [latest] = await ctx.database.query<{ id: string }>(
      'SELECT id FROM _prisma_migrations ORDER BY started_at DESC LIMIT 1',
    );
    await ctx.database.query('UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = $1', [
      latest?.id,
    ]);
    try {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.checks).toEqual({ shutdown: 'ok', database: 'ok', migrations: 'pending' });
    } finally {
      await ctx.database.query('UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE id = $1', [
        latest?.id,
      ]);
    }
    expect((await readyz()).status).toBe(200);
  });

  it('fails readiness as soon as a graceful stop begins, then stops listening', async () => {
    const second = await startApp(ctx.database.url, ctx.fakes);
    expect((await readyz(second)).status).toBe(200);
    const stopped = second.stop();
    expect(second.app.readiness.draining).toBe(true);
    await stopped;
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
    // stop() is idempotent: a second SIGTERM does not throw or hang.
    await second.stop();
  });
});

describe('/metrics', () => {
  it('exposes every Failsafe metric in Prometheus text format', async () => {
    const text = await metricsText();
    for (const [name, type] of [
      ['failsafe_alerts_received_total', 'counter'],
      ['failsafe_pages_total', 'counter'],
      ['failsafe_alert_to_page_seconds', 'histogram'],
      ['failsafe_queue_depth', 'gauge'],
      ['failsafe_job_failures_total', 'counter'],
      ['failsafe_upstream_errors_total', 'counter'],
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${type}`);
    }
    // Queue depth is read at scrape time, one series per queue.
    expect(sample(text, 'failsafe_queue_depth{queue="page"}')).toBe(0);
  });

  it('counts a page that failed once and then went out', async () => {
    const series = [
      'failsafe_alerts_received_total{source="generic",outcome="new_incident"}',
      'failsafe_pages_total{outcome="retried"}',
      'failsafe_pages_total{outcome="recovered"}',
      'failsafe_alert_to_page_seconds_count',
      'failsafe_job_failures_total{queue="page",retrying="true"}',
      'failsafe_upstream_errors_total{service="pagerduty",status="500"}',
    ];
    const before = await metricsText();
    ctx.fakes.pd.failNext(1, { status: 500 });
    const res = await postAlert(ctx.app, 'generic', genericAlert('metrics-1', 'ai-search-summaries'));
    expect(res.status).toBe(202);
    await waitUntil(
      () => ctx.database.query(`SELECT page_state FROM incident WHERE feature_key = 'ai-search-summaries'`),
      (rows) => rows[0]?.page_state === 'sent',
      { timeoutMs: 20_000, what: 'the retried page' },
    );
    const after = await metricsText();
    const deltas = series.map((s) => (sample(after, s) ?? 0) - (sample(before, s) ?? 0));
    expect(Object.fromEntries(series.map((s, i) => [s, deltas[i]]))).toEqual(
      Object.fromEntries(series.map((s) => [s, 1])),
    );
  });
});

describe('x-request-id', () => {
  const routes: [string, string, number][] = [
    ['GET', '/healthz', 200],
    ['GET', '/readyz', 200],
    ['GET', '/metrics', 200],
    ['POST', '/alerts/generic', 401],
    ['POST', '/alerts/nagios', 401],
    ['GET', '/alerts/generic', 405],
    ['GET', '/no-such-route', 404],
  ];

  it('is generated on every custom route when the caller sends none', async () => {
    const seen = new Set<string>();
    for (const [method, path, status] of routes) {
      const res = await fetch(`${ctx.app.url}${path}`, {
        method,
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect([method, path, res.status]).toEqual([method, path, status]);
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      seen.add(id);
      await res.arrayBuffer();
    }
    expect(seen.size).toBe(routes.length);
  });

  it("is the caller's id when given (at most 64 characters), and is stored with the payload", async () => {
    for (const [method, path] of routes) {
      const res = await fetch(`${ctx.app.url}${path}`, {
        method,
        headers: { 'x-request-id': `trace-${method}-${path}` },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.headers.get('x-request-id')).toBe(`trace-${method}-${path}`);
      await res.arrayBuffer();
    }
    const long = 'r'.repeat(100);
    const res = await postAlert(ctx.app, 'generic', genericAlert('request-id-1'), { 'x-request-id': long });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(long.slice(0, 64));
    const rows = await ctx.database.query(
      `SELECT request_id FROM inbound_payload WHERE body->>'fingerprint' = $1`,
      ['request-id-1'],
    );
    expect(rows).toEqual([{ request_id: long.slice(0, 64) }]);
  });
});
