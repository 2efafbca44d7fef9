// The Alertmanager parser against real Alertmanager 0.25 captures (test/contracts/alertmanager).
import { describe, expect, it } from 'vitest';
import { contract } from '../../support/fixtures.ts';
import { alertsOrThrow } from './intake-helpers.ts';

const opts = { featureLabel: 'ai_feature' };

const parseOk = (body: unknown, featureLabel = 'ai_feature') =>
  alertsOrThrow('alertmanager', body, { featureLabel });

describe('parseAlertmanager with real captures', () => {
  it('normalises firing-two-alerts.json', () => {
    const alerts = parseOk(contract('alertmanager/firing-two-alerts.json'));
    expect(alerts).toHaveLength(2);
    const [first, second] = alerts;
    expect(first).toEqual({
      source: 'alertmanager',
      fingerprint: 'c3111085d0999ceb',
      status: 'firing',
      feature: 'support-bot',
      severity: 'critical',
      summary: 'Refund offers without policy up 4x',
      description: 'support-bot offered 37 refunds not in policy in the last 15 minutes',
      labels: {
        ai_feature: 'support-bot',
        alertname: 'HallucinatedRefunds',
        env: 'production',
        model: 'gpt-x-2026-09',
        severity: 'critical',
      },
      annotations: {
        description: 'support-bot offered 37 refunds not in policy in the last 15 minutes',
        runbook_url: 'https://runbooks.example.com/support-bot/refunds',
        summary: 'Refund offers without policy up 4x',
      },
      startsAt: new Date('2026-11-23T07:25:29.847Z'),
      endsAt: null,
      generatorUrl:
        'http://prometheus.example.com/graph?g0.expr=rate(refund_offers_unapproved_total[5m])%20%3E%200.1',
    });
    expect(second?.fingerprint).toBe('1d389a7638158959');
    expect(second?.labels.region).toBe('eu-west-1');
    expect(second?.description).toBeNull();
    // Alertmanager sends "" when the rule has no source link.
    expect(second?.generatorUrl).toBeNull();
  });

  it('normalises one-resolved-one-firing.json', () => {
    const alerts = parseOk(contract('alertmanager/one-resolved-one-firing.json'));
    expect(alerts.map((a) => [a.fingerprint, a.status])).toEqual([
      ['c3111085d0999ceb', 'resolved'],
      ['1d389a7638158959', 'firing'],
    ]);
    expect(alerts[0]?.endsAt).toEqual(new Date('2026-11-23T07:25:27Z'));
    expect(alerts[1]?.endsAt).toBeNull();
  });

  it('reads the feature from whichever label is configured', () => {
    const body = contract('alertmanager/firing-two-alerts.json');
    expect(parseOk(body, 'model').map((a) => a.feature)).toEqual(['gpt-x-2026-09', 'gpt-x-2026-09']);
    expect(parseOk(body, 'team').map((a) => a.feature)).toEqual([null, null]);
  });
});

describe('parseAlertmanager normalisation', () => {
  const base = contract('alertmanager/firing-two-alerts.json');
  const firstAlert = (base.alerts as Record<string, unknown>[])[0];

  function withAlert(alert: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return {
      ...base,
      commonLabels: {},
      commonAnnotations: {},
      ...extra,
      alerts: [{ ...firstAlert, ...alert }],
    };
  }

  it('merges common labels and annotations under the alert’s own', () => {
    const [alert] = parseOk(
      withAlert(
        { labels: { alertname: 'A', env: 'staging' }, annotations: {} },
        {
          commonLabels: { ai_feature: 'triage-bot', env: 'production' },
          commonAnnotations: { summary: 'Common summary', runbook_url: 'https://r.example.com' },
        },
      ),
    );
    expect(alert?.labels).toEqual({ ai_feature: 'triage-bot', env: 'staging', alertname: 'A' });
    expect(alert?.feature).toBe('triage-bot');
    expect(alert?.annotations).toEqual({ summary: 'Common summary', runbook_url: 'https://r.example.com' });
    expect(alert?.summary).toBe('Common summary');
  });

  it('falls back from summary to description to alertname', () => {
    const fromDescription = parseOk(withAlert({ annotations: { description: 'Only a description' } }));
    expect(fromDescription[0]?.summary).toBe('Only a description');
    expect(fromDescription[0]?.description).toBeNull();
    const fromName = parseOk(withAlert({ annotations: {} }));
    expect(fromName[0]?.summary).toBe('HallucinatedRefunds');
  });

  it('treats the zero endsAt as "no end yet" even on a resolved alert', () => {
    const [alert] = parseOk(withAlert({ status: 'resolved', endsAt: '0001-01-01T00:00:00Z' }));
    expect(alert?.status).toBe('resolved');
    expect(alert?.endsAt).toBeNull();
  });

  it('ignores a firing alert’s endsAt, which is only an expiry guess', () => {
    const [alert] = parseOk(withAlert({ endsAt: '2026-11-23T08:00:00Z' }));
    expect(alert?.endsAt).toBeNull();
  });

  it('hashes the sorted labels when the fingerprint is missing', () => {
    const { fingerprint: _omit, ...noFingerprint } = firstAlert ?? {};
    const a = parseOk({ ...base, alerts: [noFingerprint] });
    const reordered = {
      ...noFingerprint,
      labels: Object.fromEntries(Object.entries(noFingerprint.labels as object).reverse()),
    };
    const b = parseOk({ ...base, alerts: [reordered] });
    expect(a[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
  });

  it('trims values, caps the summary at 500 characters and ignores unknown fields', () => {
    const [alert] = parseOk(
      withAlert(
        {
          labels: { alertname: ' A ', ai_feature: '  support-bot ' },
          annotations: { summary: 'x'.repeat(600) },
          extra: 1,
        },
        { somethingNew: { nested: true } },
      ),
    );
    expect(alert?.feature).toBe('support-bot');
    expect(alert?.labels.alertname).toBe('A');
    expect(alert?.summary).toHaveLength(500);
    expect(alert?.summary.endsWith('…')).toBe(true);
  });

  it('accepts exactly 1,000 alerts', () => {
    expect(parseOk({ ...base, alerts: Array.from({ length: 1000 }, () => firstAlert) })).toHaveLength(1000);
  });

  it('gives feature null when the configured label is absent', () => {
    expect(parseOk(withAlert({ labels: { alertname: 'A' } }), opts.featureLabel)[0]?.feature).toBeNull();
  });
});
