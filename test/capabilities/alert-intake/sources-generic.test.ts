import { describe, expect, it } from 'vitest';
import { alertsOrThrow } from './intake-helpers.ts';

const now = new Date('2026-11-23T12:00:00Z');

const parseOk = (body: unknown) => alertsOrThrow('generic', body, { featureLabel: 'ai_feature', now });

describe('parseGeneric', () => {
  it('normalises a full single alert', () => {
    const alerts = parseOk({
      summary: '  Eval pass rate dropped to 71%  ',
      severity: 'error',
      feature: 'contract-summariser',
      status: 'firing',
      fingerprint: 'eval-pass-rate/contract-summariser',
      description: 'Nightly eval: 71% (budget 90%)',
      labels: { ai_feature: 'ignored-because-feature-is-set', suite: 'nightly' },
      links: [{ href: 'https://ci.example.com/runs/812', text: 'CI run' }, { href: 'https://example.com/2' }],
      starts_at: '2026-11-23T03:00:00Z',
      ends_at: '2026-11-23T04:00:00Z',
    });
    expect(alerts).toEqual([
      {
        source: 'generic',
        fingerprint: 'eval-pass-rate/contract-summariser',
        status: 'firing',
        feature: 'contract-summariser',
        severity: 'error',
        summary: 'Eval pass rate dropped to 71%',
        description: 'Nightly eval: 71% (budget 90%)',
        labels: { ai_feature: 'ignored-because-feature-is-set', suite: 'nightly' },
        annotations: {},
        startsAt: new Date('2026-11-23T03:00:00Z'),
        endsAt: null,
        generatorUrl: 'https://ci.example.com/runs/812',
      },
    ]);
  });

  it('applies defaults to a minimal alert', () => {
    const [alert] = parseOk({ summary: 'Something is off', dedup_key: 'k1' });
    expect(alert).toMatchObject({
      fingerprint: 'k1',
      status: 'firing',
      severity: 'warning',
      feature: null,
      description: null,
      labels: {},
      startsAt: now,
      endsAt: null,
      generatorUrl: null,
    });
  });

  it('takes the feature from the configured label when feature is absent', () => {
    const [alert] = parseOk({ summary: 's', fingerprint: 'f', labels: { ai_feature: 'support-bot' } });
    expect(alert?.feature).toBe('support-bot');
  });

  it('prefers fingerprint over dedup_key', () => {
    expect(parseOk({ summary: 's', fingerprint: 'f', dedup_key: 'd' })[0]?.fingerprint).toBe('f');
  });

  it('keeps ends_at for resolved alerts and null when it is missing', () => {
    const [withEnd] = parseOk({
      summary: 's',
      fingerprint: 'f',
      status: 'resolved',
      ends_at: '2026-11-23T05:00:00+01:00',
    });
    expect(withEnd?.endsAt).toEqual(new Date('2026-11-23T04:00:00Z'));
    const [withoutEnd] = parseOk({ summary: 's', fingerprint: 'f', status: 'resolved' });
    expect(withoutEnd?.endsAt).toBeNull();
  });

  it('truncates an over-long summary instead of rejecting it', () => {
    const [alert] = parseOk({ summary: '🔥'.repeat(700), fingerprint: 'f' });
    expect(Array.from(alert?.summary ?? '')).toHaveLength(500);
    expect(alert?.summary.endsWith('🔥…')).toBe(true);
  });

  it('accepts a batch of up to 100 alerts', () => {
    const alerts = parseOk({
      alerts: Array.from({ length: 100 }, (_, i) => ({ summary: `alert ${i}`, fingerprint: `f${i}` })),
    });
    expect(alerts).toHaveLength(100);
    expect(alerts[99]?.fingerprint).toBe('f99');
  });

  it('ignores unknown fields', () => {
    expect(parseOk({ summary: 's', fingerprint: 'f', routing_key: 'x', custom: { a: 1 } })).toHaveLength(1);
  });
});
