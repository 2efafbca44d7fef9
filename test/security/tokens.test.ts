// Issue 12, item 6: separate, rotatable bearer tokens; /metrics behind its own token, read
// from memory with no Node version; errors shown to people name no internal URL; no link
// token in a log line, even when an ack request fails with a 500.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { ALERT_TOKEN, genericAlert, postAlert, useRunningApp } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const SIGNALS_NEW = 'signals-token-new-0123456789';
const SIGNALS_OLD = 'signals-token-old-0123456789';
const ALERT_OLD = 'alert-token-old-0123456789ab';
const METRICS = 'metrics-token-0123456789abc';

const logLines: string[] = [];
const ctx = useRunningApp({
  extra: {
    FAILSAFE_ALERT_TOKEN: `${ALERT_TOKEN}, ${ALERT_OLD}`,
    FAILSAFE_SIGNALS_TOKEN: `${SIGNALS_NEW},${SIGNALS_OLD}`,
    FAILSAFE_METRICS_TOKEN: METRICS,
  },
  runtime: {
    defaultMetrics: true,
    queueDepthIntervalMs: 300,
    logger: createLogger({ level: 'info', destination: { write: (l: string) => void logLines.push(l) } }),
  },
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const signals = (token: string) =>
  fetch(`${ctx.app.url}/signals`, { method: 'POST', headers: bearer(token), body: '{}' });

describe('/signals token', () => {
  it('takes either token of the rotation list and refuses the alert token once its own is set', async () => {
    // 400 (the body is not a batch) means the token was accepted: it is checked first.
    expect((await signals(SIGNALS_NEW)).status).toBe(400);
    expect((await signals(SIGNALS_OLD)).status).toBe(400);
    expect((await signals(ALERT_TOKEN)).status).toBe(401);
    expect((await signals(`${SIGNALS_NEW},${SIGNALS_OLD}`)).status).toBe(401);
    expect((await signals('')).status).toBe(401);
  });

  it('leaves the alert endpoint on the alert tokens, both of its rotation list, and not on the signals token', async () => {
    const alert = genericAlert(`tok-${randomUUID()}`, 'ai-support-bot');
    expect((await postAlert(ctx.app, 'generic', alert)).status).toBe(202);
    const withOld = await postAlert(ctx.app, 'generic', alert, { authorization: `Bearer ${ALERT_OLD}` });
    expect(withOld.status).not.toBe(401);
    const withSignals = await postAlert(ctx.app, 'generic', alert, {
      authorization: `Bearer ${SIGNALS_NEW}`,
    });
    expect(withSignals.status).toBe(401);
  });
});

describe('/metrics', () => {
  const scrape = (token?: string) =>
    fetch(`${ctx.app.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('answers 401 without its token, and never shows the Node version', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(ALERT_TOKEN)).status).toBe(401);
    const res = await scrape(METRICS);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('failsafe_process_cpu_user_seconds_total');
    expect(text).not.toContain('nodejs_version_info');
    expect(text).not.toContain(process.version);
  });

  it('asks the database nothing per scrape; the queue gauge follows the queue by its own timer', async () => {
    const deps = ctx.app.deps;
    const realDb = deps.db;
    const realDepth = deps.queue.depth;
    const realHandle = deps.http.handle;
    let touches = 0;
    // Every use of the database or of the queue's depth query made while serving a request is
    // counted; the job workers in the background run outside that context and are not.
    const serving = new AsyncLocalStorage<true>();
    deps.http.handle = (req, res) => serving.run(true, () => realHandle(req, res));
    deps.db = new Proxy(realDb, {
      get(target, key, receiver) {
        if (serving.getStore()) touches++;
        return Reflect.get(target, key, receiver);
      },
    });
    deps.queue.depth = async () => {
      if (serving.getStore()) touches++;
      return realDepth();
    };
    let duringScrapes = -1;
    try {
      for (let i = 0; i < 25; i++) expect((await scrape(METRICS)).status).toBe(200);
      duringScrapes = touches;
      // The counter works: a request that does read the database is seen.
      expect((await fetch(`${ctx.app.url}/readyz`)).status).toBe(200);
    } finally {
      deps.db = realDb;
      deps.queue.depth = realDepth;
      deps.http.handle = realHandle;
    }
    expect(duringScrapes).toBe(0);
    expect(touches).toBeGreaterThan(0);

    const depth = async () => {
      const text = await (await scrape(METRICS)).text();
      return Number(/^failsafe_queue_depth\{queue="page-dm"\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
    };
    // The gauge moves without a scrape asking: the timer reads the queue (here a queue that
    // reports 7 waiting page DMs) and the next scrape shows it.
    deps.queue.depth = async () => ({ ...(await realDepth()), 'page-dm': 7 });
    try {
      await waitUntil(depth, (n) => n === 7);
    } finally {
      deps.queue.depth = realDepth;
    }
  });
});

describe('what people and logs see', () => {
  it('tells the person at the phone page what PagerDuty refused, with no internal URL', async () => {
    const fp = `tok-err-${randomUUID()}`;
    await ctx.database.query("UPDATE incident SET status = 'resolved', open_key = NULL");
    await postAlert(ctx.app, 'generic', genericAlert(fp, 'ai-support-bot'));
    const dm = await ctx.fakes.slack.waitForMessage((m) => m.channel === 'DU0JANE' && m.text.includes(fp));
    const link = `${ctx.app.url}${new URL(/<(http[^|>]+\/ack\/[^|>]+)\|/.exec(dm.text)?.[1] ?? 'http://x/').pathname}`;
    const page = await fetch(link);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
    // An incident PagerDuty does not know: it answers 404, and the error names its URL.
    await ctx.database.query("UPDATE incident SET pd_incident_id = 'PGONE' WHERE title LIKE $1", [
      `%(${fp})%`,
    ]);
    const tap = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ action: 'acknowledge', csrf }),
      redirect: 'manual',
    });
    const html = await tap.text();
    expect(html).toContain('PagerDuty refused the change (404)');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain('127.0.0.1');
    expect(html).not.toContain('/incidents/');
  });

  it('logs a failed ack request (500) without the token from its path', async () => {
    const token = 'Q'.repeat(20) + randomUUID().replaceAll('-', '').slice(0, 23);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await ctx.database.query('ALTER TABLE ack_link RENAME TO ack_link_away');
    let res: Response;
    try {
      res = await fetch(`${ctx.app.url}/ack/${token}`);
    } finally {
      await ctx.database.query('ALTER TABLE ack_link_away RENAME TO ack_link');
    }
    expect(res.status).toBe(500);
    const failed = logLines.filter((l) => l.includes('request failed'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.join('')).toContain('/ack/[redacted]');
    for (const line of logLines) expect(line).not.toContain(token);
  });
});
