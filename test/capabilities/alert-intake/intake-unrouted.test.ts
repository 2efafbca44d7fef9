// With no default_route in the catalog, an alert for no known feature is still accepted and
// stored (never dropped), pages nobody, and shows up in /metrics as unrouted.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { editedCatalog } from '../../support/catalog.ts';
import { contract } from '../../support/fixtures.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { metricValue } from './intake-helpers.ts';

let dir: string | undefined;
const logLines: Record<string, unknown>[] = [];

/** The example catalog without its default_route, written to a temporary file. */
async function catalogWithoutDefaultRoute(): Promise<string> {
  const file = await editedCatalog((example) => {
    const catalog = example.replace(/^default_route:\n(?:[ \t]+.*\n)+/m, '');
    // Guard the edit itself, so a reworded example cannot silently keep its default route.
    expect(catalog).not.toContain('default_route');
    return catalog;
  });
  dir = path.dirname(file);
  return file;
}

// Registered before the app's hooks, so it runs after the app has stopped.
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ctx = useRunningApp({
  extra: async () => ({ FAILSAFE_CONFIG: await catalogWithoutDefaultRoute() }),
  runtime: {
    logger: createLogger({
      level: 'warn',
      destination: { write: (line: string) => void logLines.push(JSON.parse(line)) },
    }),
  },
});

describe('an alert for no known feature, without a default route', () => {
  it('is stored as unrouted, answered 202, pages nobody and is counted in /metrics', async () => {
    const res = await postAlert(ctx.app, 'generic', genericAlert('mystery-1', 'feature-nobody-owns'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, outcomes: { unrouted: 1 }, incidents: [] });

    const alerts = await ctx.database.query(
      'SELECT fingerprint, group_key, feature_key, incident_id, status FROM alert',
    );
    expect(alerts).toEqual([
      {
        fingerprint: 'mystery-1',
        group_key: 'unrouted',
        feature_key: null,
        incident_id: null,
        status: 'firing',
      },
    ]);
    expect(await ctx.database.query('SELECT kind FROM inbound_payload')).toEqual([{ kind: 'generic' }]);
    expect(
      await metricValue(ctx.app, 'failsafe_alerts_received_total{source="generic",outcome="unrouted"}'),
    ).toBe(1);
    const mentions = (x: unknown) => JSON.stringify(x).includes('mystery-1');
    expect(ctx.fakes.pd.state.requests.filter((r) => mentions(r.body))).toEqual([]);
    expect(ctx.fakes.slack.state.calls.filter((c) => mentions(c.args))).toEqual([]);
    // Reported in the log too, with what is needed to find the stored payload.
    const warning = logLines.find((l) => String(l.msg).includes('unrouted') && l.fingerprint === 'mystery-1');
    expect(warning).toMatchObject({ level: 40, labels: { model: 'gpt-x' }, payloadId: expect.any(String) });
  });

  it('keeps one row per unrouted alert across repeats, and counts each delivery', async () => {
    const before = await metricValue(
      ctx.app,
      'failsafe_alerts_received_total{source="alertmanager",outcome="unrouted"}',
    );
    for (let i = 0; i < 2; i++) {
      const res = await postAlert(ctx.app, 'alertmanager', contract('alertmanager/firing-two-alerts.json'));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 2, outcomes: { unrouted: 2 }, incidents: [] });
    }
    const rows = await ctx.database.query(
      `SELECT fingerprint, receive_count FROM alert WHERE source = 'alertmanager' ORDER BY fingerprint`,
    );
    expect(rows).toEqual([
      { fingerprint: '1d389a7638158959', receive_count: 2 },
      { fingerprint: 'c3111085d0999ceb', receive_count: 2 },
    ]);
    expect(
      await metricValue(ctx.app, 'failsafe_alerts_received_total{source="alertmanager",outcome="unrouted"}'),
    ).toBe(before + 4);
    const incidents = await ctx.database.query(`SELECT id FROM incident WHERE feature_key = 'unrouted'`);
    expect(incidents).toEqual([]);
  });

  it('still routes known features normally', async () => {
    const res = await postAlert(ctx.app, 'generic', genericAlert('known-1', 'ai-support-bot'));
    expect(res.status).toBe(202);
    expect(((await res.json()) as { outcomes: object }).outcomes).toEqual({ new_incident: 1 });
    const incident = await ctx.fakes.pd.waitFor((r) => r.method === 'POST' && r.path === '/incidents');
    expect(incident.body).toMatchObject({ incident: { service: { id: 'PSVC1' } } });
  });
});
