import { describe, expect, it } from 'vitest';
import { mapSeverity, parseAlerts } from '../../../src/capabilities/alert-intake/sources/index.ts';
import type { AlertSource } from '../../../src/capabilities/alert-intake/types.ts';
import { contract, fixture } from '../../support/fixtures.ts';

const amFiring = contract('alertmanager/firing-two-alerts.json');
const amAlert = (amFiring.alerts as Record<string, unknown>[])[0] ?? {};
const grafanaFiring = fixture('grafana/firing.json');

const opts = { featureLabel: 'ai_feature' };

describe('parseAlerts dispatch', () => {
  it.each([
    ['alertmanager', amFiring, 2],
    ['grafana', grafanaFiring, 2],
    ['generic', { summary: 's', fingerprint: 'f' }, 1],
  ] as const)('%s payloads go to their own parser', (source, body, count) => {
    const result = parseAlerts(source, body, opts);
    expect(result.ok && result.alerts.map((a) => a.source)).toEqual(Array(count).fill(source));
  });
});

describe('parseAlerts rejections name the first offending field', () => {
  const cases: [string, AlertSource, unknown, string, string | RegExp][] = [
    ['non-object body', 'alertmanager', 'firing', '(body)', 'expected an object'],
    ['null body', 'grafana', null, '(body)', 'expected an object'],
    ['array body (generic)', 'generic', [{ summary: 's' }], '(body)', 'expected an object'],
    [
      'missing alerts',
      'alertmanager',
      { ...amFiring, alerts: undefined },
      'alerts',
      'is required (expected an array)',
    ],
    ['empty alerts', 'alertmanager', { ...amFiring, alerts: [] }, 'alerts', 'expected at least 1 alert'],
    ['wrong version', 'alertmanager', { ...amFiring, version: '3' }, 'version', 'expected "4"'],
    ['missing version', 'alertmanager', { ...amFiring, version: undefined }, 'version', 'expected "4"'],
    [
      'bad date',
      'alertmanager',
      { ...amFiring, alerts: [amAlert, { ...amAlert, startsAt: '23/11/2026 07:25' }] },
      'alerts.1.startsAt',
      'expected an ISO 8601 date-time',
    ],
    [
      'impossible date',
      'grafana',
      { ...grafanaFiring, alerts: [{ ...amAlert, endsAt: '2026-02-30T00:00:00Z' }] },
      'alerts.0.endsAt',
      'expected an ISO 8601 date-time',
    ],
    [
      'non-string label value',
      'alertmanager',
      { ...amFiring, alerts: [{ ...amAlert, labels: { alertname: 'A', replicas: 3 } }] },
      'alerts.0.labels.replicas',
      'expected a string',
    ],
    [
      'unknown alert status',
      'alertmanager',
      { ...amFiring, alerts: [{ ...amAlert, status: 'pending' }] },
      'alerts.0.status',
      'expected one of "firing", "resolved"',
    ],
    [
      'too many alerts',
      'alertmanager',
      { ...amFiring, alerts: Array.from({ length: 1001 }, () => amAlert) },
      'alerts',
      'expected at most 1000 alerts',
    ],
    [
      'negative truncatedAlerts',
      'alertmanager',
      { ...amFiring, truncatedAlerts: -1 },
      'truncatedAlerts',
      /at least 0/,
    ],
    [
      'generic missing summary',
      'generic',
      { fingerprint: 'f' },
      'summary',
      'is required (expected a string)',
    ],
    [
      'generic blank summary',
      'generic',
      { summary: '   ', fingerprint: 'f' },
      'summary',
      'expected a non-empty summary',
    ],
    ['generic missing ids', 'generic', { summary: 's' }, 'fingerprint', /expected fingerprint or dedup_key/],
    [
      'generic dedup_key too long',
      'generic',
      { summary: 's', dedup_key: 'k'.repeat(256) },
      'dedup_key',
      'expected at most 255 characters',
    ],
    [
      'generic bad severity',
      'generic',
      { summary: 's', fingerprint: 'f', severity: 'sev1' },
      'severity',
      /expected one of "critical"/,
    ],
    [
      'generic bad link',
      'generic',
      { summary: 's', fingerprint: 'f', links: [{ href: 'javascript:alert(1)' }] },
      'links.0.href',
      'expected an http(s) URL',
    ],
    [
      'generic bad starts_at',
      'generic',
      { summary: 's', fingerprint: 'f', starts_at: 'yesterday' },
      'starts_at',
      'expected an ISO 8601 date-time',
    ],
    [
      'generic batch item missing ids',
      'generic',
      { alerts: [{ summary: 'a', fingerprint: 'f' }, { summary: 'b' }] },
      'alerts.1.fingerprint',
      /expected fingerprint or dedup_key/,
    ],
    ['generic empty batch', 'generic', { alerts: [] }, 'alerts', 'expected at least 1 alert'],
    [
      'generic batch over 100',
      'generic',
      { alerts: Array.from({ length: 101 }, () => ({ summary: 's', fingerprint: 'f' })) },
      'alerts',
      'expected at most 100 alerts',
    ],
  ];

  it.each(cases)('%s', (_name, source, body, field, message) => {
    const result = parseAlerts(source, body, opts);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.message).toMatch(
      message instanceof RegExp ? message : new RegExp(`^${escapeRegExp(message)}$`),
    );
  });
});

describe('mapSeverity', () => {
  it.each([
    ['critical', 'critical'],
    ['page', 'critical'],
    ['P1', 'critical'],
    ['sev1', 'critical'],
    ['error', 'error'],
    ['high', 'error'],
    ['Major', 'error'],
    ['p2', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['medium', 'warning'],
    ['minor', 'warning'],
    ['info', 'info'],
    ['low', 'info'],
    [' none ', 'info'],
    ['catastrophic', 'warning'],
    [undefined, 'warning'],
  ] as const)('%s → %s', (raw, expected) => {
    expect(mapSeverity(raw)).toBe(expected);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
