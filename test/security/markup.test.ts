// Nothing from outside becomes markup: every field that reaches Slack or the postmortem file is
// fed each hostile string, and the rendered output (every mrkdwn string of the blocks and the
// top-level text, and the Markdown draft) is checked for live mentions, links and tags.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../src/capabilities/alert-intake/sources/alertmanager.ts';
import { parseGrafana } from '../../src/capabilities/alert-intake/sources/grafana.ts';
import { overrideAnnouncement } from '../../src/capabilities/error-budget/policy.ts';
import { incidentSummary } from '../../src/capabilities/incident-channel/summary.ts';
import { killModal } from '../../src/capabilities/kill-switch/kill-modal.ts';
import {
  confirmedOffLine,
  failedLine,
  pendingLine,
  unverifiedOffLine,
} from '../../src/capabilities/kill-switch/messages.ts';
import { type IncidentView, renderIncidentMessage } from '../../src/capabilities/paging/message.ts';
import { assemble, buildDraft, draftHeader } from '../../src/capabilities/postmortem/draft.ts';
import type { PostmortemFacts } from '../../src/capabilities/postmortem/facts.ts';
import { shareComment } from '../../src/capabilities/postmortem/share.ts';
import { updateModal } from '../../src/capabilities/stakeholder-updates/modal.ts';
import { stakeholderMessage } from '../../src/capabilities/stakeholder-updates/post.ts';
import { type FlaggedFeature, loadCatalog } from '../../src/config/catalog.ts';
import type { Incident } from '../../src/generated/prisma/client.ts';
import { escapeMarkdown, markdownCode } from '../../src/kernel/markdown-text.ts';
import { escapeMrkdwn, safeHttpUrl, slackLink } from '../../src/kernel/slack-text.ts';
import { EXAMPLE_CATALOG, postAlert, useRunningApp } from '../support/harness.ts';
import { HOSTILE, liveMarkdown, liveMrkdwn, mrkdwnStrings } from './markup-check.ts';

const ctx = useRunningApp();
let feature: FlaggedFeature;
beforeAll(async () => {
  const catalog = await loadCatalog(EXAMPLE_CATALOG);
  feature = catalog.features.find((f) => f.key === 'ai-support-bot') as FlaggedFeature;
});

const at = new Date('2026-12-02T03:10:00Z');
const live = (rendered: unknown) => mrkdwnStrings(rendered).flatMap(liveMrkdwn);

function view(h: string): IncidentView {
  return {
    id: 'inc-1',
    number: 7,
    featureKey: 'ai-support-bot',
    featureName: 'AI support bot',
    status: 'acknowledged',
    severity: 'critical',
    title: h,
    openedAt: at,
    resolvedAt: null,
    alertCount: 2,
    firingCount: 2,
    sourceUrl: h,
    pdIncidentUrl: h,
    pageState: 'sent',
    assigneeName: h,
    assigneeSlackId: 'U0JANE',
    pagedAt: at,
    acknowledgedAt: at,
    acknowledgedBy: h,
    acknowledgedVia: h,
    assignedVia: 'reassigned',
    priority: null,
    pendingAction: h,
  };
}

function incidentRow(h: string): Incident {
  return {
    ...view(h),
    status: 'triggered',
    mitigatedAt: null,
    nextUpdateAt: null,
    rootCause: null,
    channelId: 'C0INC',
  } as unknown as Incident;
}

describe.each(HOSTILE)('hostile input %j', (h) => {
  it('the incident message (blocks and notification text) has no live markup', () => {
    const message = renderIncidentMessage(view(h), 'UTC');
    expect(live(message)).toEqual([]);
    // Escaped, not dropped: the title still reads as typed.
    expect(message.text).toContain(escapeMrkdwn(h));
  });

  it('the incident channel summary has no live markup', async () => {
    const text = await incidentSummary({ unleash: null } as never, incidentRow(h), feature);
    expect(live(text)).toEqual([]);
  });

  it('kill-switch lines and the kill modal have no live markup', () => {
    const facts = { feature, environment: 'production', at, by: h, reason: h };
    const lines = [
      confirmedOffLine(facts, 1_200),
      unverifiedOffLine(facts, 30, 'U0JANE'),
      pendingLine(feature, 'production', h),
      failedLine(feature, 'production', h),
    ];
    expect(live(lines)).toEqual([]);
    const meta = { feature: feature.key, user: 'U0JANE', channel: 'C0ALERTS', incidentId: null };
    expect(live(killModal(feature, incidentRow(h), h, meta))).toEqual([]);
  });

  it('the budget override announcement has no live markup', () => {
    const text = overrideAnnouncement(feature, h, h);
    expect(live(text)).toEqual([]);
    expect(text).toContain(escapeMrkdwn(h));
  });

  it('a stakeholder update and its modal have no live markup', () => {
    const incident = incidentRow(h);
    expect(live(stakeholderMessage(feature, incident, { text: h }, h))).toEqual([]);
    const facts = {
      feature,
      incident: { number: 7, title: h, channelId: 'C0INC' },
      draft: h,
      nextUpdate: '04:00',
    };
    const meta = { feature: feature.key, incidentId: null, user: 'U0JANE', channel: 'C0ALERTS' };
    expect(live(updateModal(facts, meta))).toEqual([]);
  });

  it('the postmortem file has no live HTML, images or input links, and its share message no live markup', () => {
    const draft = buildDraft(hostileFacts(h), { featureLabel: 'ai_feature' });
    const markdown = assemble(draftHeader(draft, { version: 2, generatedAt: at, changes: null }), draft.body);
    expect(liveMarkdown(markdown)).toEqual([]);
    const comment = shareComment(
      draft,
      { version: 2, changes: 'Timeline (+1 line).' },
      7,
      'https://failsafe.example/postmortems/x.md?t=1&v=2',
    );
    expect(live(comment)).toEqual([]);
  });

  it('an Alertmanager generatorURL is kept only as http(s), and renders as a safe link', () => {
    const parsed = parseAlertmanager(alertmanagerBody(h), { featureLabel: 'ai_feature' });
    expect(parsed.ok).toBe(true);
    const url = parsed.ok ? (parsed.alerts[0]?.generatorUrl ?? null) : 'unparsed';
    if (url !== null) expect(safeHttpUrl(url)).not.toBeNull();
    const title = parsed.ok ? (parsed.alerts[0]?.summary ?? '') : '';
    expect(live(renderIncidentMessage({ ...view('t'), title, sourceUrl: url }, 'UTC'))).toEqual([]);
  });
});

describe('an Alertmanager alert with a hostile generatorURL and title, through the running app', () => {
  it('is posted in the alerts channel with no live mention and the link kept inside its label', async () => {
    const hostile = 'https://evil.example/phish|Alert source> <!here> <https://x';
    const body = alertmanagerBody('<!channel> <@U123> refunds <https://evil.example|click>');
    const alert = body.alerts[0];
    if (alert) alert.generatorURL = hostile;
    const res = await postAlert(ctx.app, 'alertmanager', body);
    expect(res.status).toBe(202);
    const message = await ctx.fakes.slack.waitForMessage((m) => m.channel === 'C0ALERTS');
    expect(live([message.text, message.blocks])).toEqual([]);
    expect(message.text).toContain(
      '&lt;!channel&gt; &lt;@U123&gt; refunds &lt;https://evil.example|click&gt;',
    );
    expect(JSON.stringify(message.blocks)).toContain(
      '<https://evil.example/phish%7CAlert%20source%3E%20%3C!here%3E%20%3Chttps://x|Alert source>',
    );
  });
});

describe('the escaping helpers', () => {
  it('a URL that tries to close the link is percent-encoded inside it', () => {
    const link = slackLink('https://evil.example/phish|Alert source> <!here> <https://x', 'Alert source');
    expect(link).toBe(
      '<https://evil.example/phish%7CAlert%20source%3E%20%3C!here%3E%20%3Chttps://x|Alert source>',
    );
  });

  it('only absolute http(s) URLs without credentials are links; the rest is plain text', () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'mailto:a@b.c',
      '/relative',
      'https://u:p@a.example/',
      '',
    ])
      expect(slackLink(bad, '<b>')).toBe('&lt;b&gt;');
    expect(slackLink('https://a.example/?x=1&y=2', 'ok')).toBe('<https://a.example/?x=1&amp;y=2|ok>');
  });

  it('Markdown text keeps no tag, link or block of its own', () => {
    expect(escapeMarkdown('[x](javascript:alert(1)) <b>&\n# h')).toBe(
      '&#91;x&#93;(javascript:alert(1)) &lt;b&gt;&amp; # h',
    );
    expect(markdownCode('a ``b`` c')).toBe('```a ``b`` c```');
  });

  it('a Grafana alert with a hostile generatorURL falls back to its http(s) panel link', () => {
    const body = {
      version: '1',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'x', ai_feature: 'ai-support-bot' },
          startsAt: '2026-12-02T03:00:00Z',
          generatorURL: 'javascript:alert(1)',
          panelURL: 'https://grafana.example.com/d/a?viewPanel=4',
        },
      ],
    };
    const parsed = parseGrafana(body, { featureLabel: 'ai_feature' });
    expect(parsed.ok && parsed.alerts[0]?.generatorUrl).toBe('https://grafana.example.com/d/a?viewPanel=4');
  });
});

function alertmanagerBody(h: string) {
  return {
    version: '4',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: h, ai_feature: 'ai-support-bot' },
        annotations: { summary: h, description: h },
        startsAt: '2026-12-02T03:00:00Z',
        generatorURL: h,
      },
    ],
  };
}

/** Every field of the draft's facts that comes from outside set to `h`. */
function hostileFacts(h: string): PostmortemFacts {
  const t = (min: number) => new Date(at.getTime() + min * 60_000);
  const kill = {
    kind: 'kill',
    flag: 'ai-support-bot',
    environment: 'production',
    requestedByName: h,
    reason: h,
    steps: [] as number[],
    holdSeconds: 0,
  };
  const alert = (source: string, labels: Record<string, string>) => ({
    source,
    fingerprint: `fp-${source}`,
    status: 'firing',
    severity: 'critical',
    summary: h,
    description: h,
    labels,
    startsAt: t(0),
    endsAt: null,
    firstSeenAt: t(1),
    receiveCount: 1,
  });
  const entry = (
    min: number,
    kind: string,
    text: string,
    actor: string | null,
    data: Record<string, unknown> | null = null,
  ) => ({
    at: t(min),
    kind,
    actor,
    text,
    data,
    dedupKey: `${kind}:${min}`,
  });
  return {
    incident: {
      id: 'inc-1',
      number: 7,
      title: h,
      severity: 'critical',
      status: 'resolved',
      openedAt: t(1),
      acknowledgedAt: t(3),
      mitigatedAt: null,
      resolvedAt: t(40),
      rootCause: null,
      channelId: 'C0INC',
      channelName: h,
      pdIncidentUrl: h,
      alertCount: 2,
    },
    feature: {
      key: 'ai-support-bot',
      name: 'AI support bot',
      timeZone: 'Europe/London',
      fallback: null,
      flag: { flag: 'ai-support-bot', environment: 'production' },
      slo: null,
    },
    entries: [
      entry(1, 'alert.firing', `Alert firing: ${h}`, 'alertmanager', { fingerprint: 'fp-alertmanager' }),
      entry(2, 'incident.declared', `Incident declared by ${h}: ${h}`, h),
      entry(3, 'incident.acknowledged', `Acknowledged by ${h}.`, h, { via: h }),
      entry(4, 'slack.message', h, h, { channel: 'C0INC', ts: '1.1', user: 'U0JANE' }),
      entry(5, 'slack.key_message', h, h, { channel: 'C0INC', ts: '1.1' }),
      entry(6, 'slack.key_message', escapeMrkdwn(h), h, { channel: 'C0INC', ts: '1.2' }),
      entry(7, 'update.posted', h, h),
      entry(8, 'incident.mitigated', `Marked mitigated by ${h}`, h),
      entry(40, 'incident.resolved', `Resolved by ${h}`, h),
    ],
    alerts: [
      alert('alertmanager', { alertname: h, model: h, quality_score: h, [h]: h }),
      alert('error-budget', { slo_rule: h, ai_feature: 'ai-support-bot' }),
    ],
    flagOperations: [
      {
        ...kill,
        id: 'op-1',
        state: 'confirmed',
        createdAt: t(5),
        flippedAt: t(6),
        confirmMs: 1_500,
        finishedAt: t(6),
        lastError: null,
      },
      {
        ...kill,
        id: 'op-2',
        state: 'failed',
        createdAt: t(9),
        flippedAt: null,
        confirmMs: null,
        finishedAt: t(9),
        lastError: h,
      },
    ],
    people: [
      { name: h, slackId: 'U0JANE', handle: null, roles: ['on-call engineer'] },
      { name: 'Ana Lee', slackId: h, handle: h, roles: ['feature owner'] },
    ],
    review: { reviewedAt: null, version: 1 },
  };
}
