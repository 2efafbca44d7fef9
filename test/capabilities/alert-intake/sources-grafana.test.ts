// Fixtures test/fixtures/grafana/{firing,resolved}.json follow the example payload and field tables of
// Grafana's "Configure the webhook notifier for Alerting" page:
// https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
import { describe, expect, it } from 'vitest';
import { parseAlerts } from '../../../src/capabilities/alert-intake/sources/index.ts';
import { fixture } from '../../support/fixtures.ts';
import { alertsOrThrow } from './intake-helpers.ts';

const parseOk = (body: unknown) => alertsOrThrow('grafana', body, { featureLabel: 'ai_feature' });

describe('parseGrafana', () => {
  it('normalises the firing fixture', () => {
    const alerts = parseOk(fixture('grafana/firing.json'));
    expect(alerts).toHaveLength(2);
    const [us, eu] = alerts;
    expect(us).toMatchObject({
      source: 'grafana',
      fingerprint: 'c6eadffa33fcdf37',
      status: 'firing',
      feature: 'search-assistant',
      severity: 'critical',
      summary: 'Answer latency p95 above 8 s (us-1)',
      description: 'search-assistant p95 answer latency is above 8 s in us-1',
      startsAt: new Date('2026-11-23T07:51:03.157Z'),
      endsAt: null,
      generatorUrl: 'https://grafana.example.com/alerting/grafana/1afz29v7z/view?orgId=1',
    });
    expect(us?.labels.zone).toBe('us-1');
    expect(us?.annotations.runbook_url).toBe('https://runbooks.example.com/search-assistant/latency');
    expect(eu?.fingerprint).toBe('bc97ff14869b13e3');
    // Empty generatorURL: fall back to the panel link.
    expect(eu?.generatorUrl).toBe('https://grafana.example.com/d/ai-search?orgId=1&viewPanel=4');
  });

  it('normalises the resolved fixture with real end times', () => {
    const alerts = parseOk(fixture('grafana/resolved.json'));
    expect(alerts.map((a) => [a.fingerprint, a.status])).toEqual([
      ['c6eadffa33fcdf37', 'resolved'],
      ['bc97ff14869b13e3', 'resolved'],
    ]);
    expect(alerts[0]?.endsAt).toEqual(new Date('2026-11-23T08:21:03.157Z'));
  });

  it('falls back to dashboardURL when generator and panel links are empty', () => {
    const body = fixture('grafana/firing.json');
    const [first] = body.alerts as Record<string, unknown>[];
    const alerts = parseOk({ ...body, alerts: [{ ...first, generatorURL: '', panelURL: '' }] });
    expect(alerts[0]?.generatorUrl).toBe('https://grafana.example.com/d/ai-search?orgId=1');
  });

  it('accepts alerts without values, fingerprint or deprecated fields', () => {
    const body = fixture('grafana/firing.json');
    const [first] = body.alerts as Record<string, unknown>[];
    const { values: _v, fingerprint: _f, dashboardURL: _d, panelURL: _p, ...bare } = first ?? {};
    const { title: _t, state: _s, message: _m, ...rest } = body;
    const alerts = parseOk({ ...rest, alerts: [bare] });
    expect(alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an Alertmanager payload sent to the Grafana endpoint', () => {
    expect(
      parseAlerts(
        'grafana',
        { ...fixture('grafana/firing.json'), version: '4' },
        { featureLabel: 'ai_feature' },
      ),
    ).toEqual({
      ok: false,
      field: 'version',
      message: 'expected "1"',
    });
  });
});
