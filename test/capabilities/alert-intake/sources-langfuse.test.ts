// Langfuse's webhook bodies (test/contracts/langfuse/, built from langfuse/langfuse@6275144's
// MonitorWebhookQueueEventSchema and PromptWebhookOutboundSchema) as the intake reads them.
import { describe, expect, it } from 'vitest';
import { parseLangfuse } from '../../../src/capabilities/alert-intake/sources/index.ts';
import { contract } from '../../support/fixtures.ts';

const opts = { featureLabel: 'ai_feature' };
const alerting = () => contract('langfuse/monitor-alert-alert.json');
const withPayload = (change: Record<string, unknown>) => {
  const body = alerting();
  return { ...body, payload: { ...(body.payload as object), ...change } };
};

describe('parseLangfuse', () => {
  it('makes a monitor ALERT one critical firing alert with its permalink and routing labels', () => {
    const result = parseLangfuse(alerting(), opts);
    expect(result).toMatchObject({ ok: true });
    const [alert] = result.ok ? result.alerts : [];
    expect(alert).toMatchObject({
      source: 'langfuse',
      fingerprint: 'langfuse/cmj4pr0j3ct0001/cmj4m0n1t0r0001',
      status: 'firing',
      severity: 'critical',
      summary: '[ALERT] Support bot answer score',
      description: '`avg(scores-numeric.value)` is **below** `0.7` over the last **15m**',
      startsAt: new Date('2026-12-02T10:15:00.000Z'),
      endsAt: null,
      generatorUrl: 'https://cloud.langfuse.com/project/cmj4pr0j3ct0001/alerts/cmj4m0n1t0r0001',
    });
    expect(alert?.labels).toEqual({
      ai_feature: 'ai-support-bot',
      langfuse_metadata_ai_feature: 'ai-support-bot',
      langfuse_name: 'helpfulness',
      langfuse_monitor_id: 'cmj4m0n1t0r0001',
      langfuse_project_id: 'cmj4pr0j3ct0001',
      langfuse_severity: 'ALERT',
      langfuse_view: 'scores-numeric',
      langfuse_window: '15m',
    });
    expect(alert?.annotations.data_permalink).toMatch(/\/traces\?dateRange=/);
  });

  it('makes OK the recovery of the same alert, and WARNING and NO_DATA firing warnings', () => {
    const ok = parseLangfuse(contract('langfuse/monitor-alert-ok.json'), opts);
    const [recovered] = ok.ok ? ok.alerts : [];
    expect(recovered).toMatchObject({
      fingerprint: 'langfuse/cmj4pr0j3ct0001/cmj4m0n1t0r0001',
      status: 'resolved',
      endsAt: new Date('2026-12-02T10:45:00.000Z'),
    });
    for (const severity of ['WARNING', 'NO_DATA']) {
      const r = parseLangfuse(withPayload({ severity }), opts);
      expect(r.ok && r.alerts[0]).toMatchObject({ status: 'firing', severity: 'warning' });
    }
  });

  it('acknowledges prompt-version, project-notification, new types and PAUSED monitors without an alert', () => {
    expect(parseLangfuse(contract('langfuse/prompt-version-created.json'), opts)).toEqual({
      ok: true,
      alerts: [],
      ignored: 'prompt-version',
    });
    const notification = { ...alerting(), type: 'project-notification', event: {} };
    expect(parseLangfuse(notification, opts)).toMatchObject({ ok: true, ignored: 'project-notification' });
    expect(parseLangfuse(withPayload({ severity: 'PAUSED' }), opts)).toMatchObject({
      ok: true,
      alerts: [],
      ignored: 'monitor-alert PAUSED',
    });
  });

  it('drops a permalink that is not http(s) and keeps the alert', () => {
    const r = parseLangfuse(
      withPayload({ permalink: 'javascript:alert(1)', dataPermalink: undefined }),
      opts,
    );
    expect(r.ok && r.alerts[0]?.generatorUrl).toBeNull();
  });

  it('names the field of a monitor alert it cannot read', () => {
    const cases: [unknown, string][] = [
      [withPayload({ monitorId: undefined }), 'payload.monitorId'],
      [withPayload({ severity: 'RED' }), 'payload.severity'],
      [withPayload({ message: { title: '' } }), 'payload.message.title'],
      [{ ...alerting(), apiVersion: 'v2' }, 'apiVersion'],
      [{ ...alerting(), type: undefined }, 'type'],
      [{ ...alerting(), timestamp: 'yesterday' }, 'timestamp'],
      [[alerting()], '(body)'],
    ];
    for (const [body, field] of cases)
      expect(parseLangfuse(body, opts), field).toMatchObject({ ok: false, field });
  });
});
