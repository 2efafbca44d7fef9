// Incident #101: the AI provider returns 503s at night. An alert storm, a page, the kill switch
// (fallback: human agents), a stakeholder update, the provider recovers, a 10 → 50 → 100% ramp
// brings the bot back, resolved. Times are UTC; the team is in London (BST).
import { dayClock, PEOPLE, type SeedEntry, type SeedIncident, said } from '../seed.ts';

const at = dayClock('2026-07-14');
const C = 'C0INC101';
const { jane, sam, pat } = PEOPLE;
const base = {
  ai_feature: 'ai-support-bot',
  provider: 'openai',
  model: 'gpt-4o-2024-08-06',
  prompt_version: 'support-v12',
};
const errorLabels = { alertname: 'AIProviderErrorRate', severity: 'critical', ...base };
const ERRORS = 'Chat completions failing: provider returns 503 for 38% of requests';
const TIMEOUTS = 'Provider timeouts above 5% on a support-bot pod';
const seconds = (from: Date, s: number) => new Date(from.getTime() + s * 1000);

const storm = Array.from({ length: 38 }, (_, i) => ({
  source: 'alertmanager',
  fingerprint: `timeouts-${i}`,
  status: 'resolved' as const,
  severity: 'error',
  summary: TIMEOUTS,
  labels: { alertname: 'AIProviderTimeouts', severity: 'error', pod: `support-bot-${i}`, ...base },
  startsAt: seconds(at('03:10:00'), Math.round((i * 900) / 37)),
  firstSeenAt: seconds(at('03:10:30'), Math.round((i * 900) / 37)),
  endsAt: seconds(at('04:05:00'), i * 5),
}));

const stormEntries: SeedEntry[] = storm.flatMap((a) => [
  {
    at: a.startsAt,
    kind: 'alert.firing',
    actor: 'alertmanager',
    text: `Alert firing: ${TIMEOUTS}`,
    data: { fingerprint: a.fingerprint, severity: 'error', labels: a.labels },
  },
  {
    at: a.endsAt,
    kind: 'alert.resolved',
    actor: 'alertmanager',
    text: `Alert resolved: ${TIMEOUTS}`,
    data: { fingerprint: a.fingerprint },
  },
]);

export const providerOutage: SeedIncident = {
  number: 101,
  featureKey: 'ai-support-bot',
  title: ERRORS,
  severity: 'critical',
  openedAt: at('02:58:10'),
  acknowledgedAt: at('03:04:30'),
  resolvedAt: at('04:45:00'),
  channelId: C,
  channelName: 'inc-20260714-ai-support-bot-101',
  leadSlackId: sam.id,
  assignee: jane,
  pdIncidentUrl: 'https://example.pagerduty.com/incidents/PABC101',
  alerts: [
    {
      source: 'alertmanager',
      fingerprint: 'errors-1',
      status: 'resolved',
      severity: 'critical',
      summary: ERRORS,
      labels: errorLabels,
      startsAt: at('02:56:40'),
      firstSeenAt: at('02:58:10'),
      endsAt: at('04:06:00'),
    },
    ...storm,
  ],
  operations: [
    {
      kind: 'kill',
      state: 'confirmed',
      flag: 'ai-support-bot',
      by: jane,
      reason: 'provider 503s, fallback to human agents',
      createdAt: at('03:12:38'),
      flippedAt: at('03:12:41'),
      confirmMs: 1180,
      finishedAt: at('03:12:43'),
      linked: true,
    },
    {
      kind: 'restore',
      state: 'done',
      flag: 'ai-support-bot',
      by: jane,
      reason: 'restore 10% → 50% → 100%, hold 600 s',
      steps: [10, 50, 100],
      holdSeconds: 600,
      createdAt: at('04:20:00'),
      finishedAt: at('04:40:05'),
      linked: false,
    },
  ],
  entries: [
    {
      at: at('02:56:40'),
      kind: 'incident.opened',
      actor: 'alertmanager',
      text: `Incident opened: ${ERRORS}`,
      data: { fingerprint: 'errors-1', severity: 'critical', labels: errorLabels },
    },
    {
      at: at('02:58:12'),
      kind: 'page.sent',
      actor: 'failsafe',
      text: 'Paged Jane Doe through PagerDuty',
      data: { pdIncidentId: 'PABC101', mode: 'rest' },
    },
    {
      at: at('03:00:05'),
      kind: 'channel.created',
      actor: 'failsafe',
      text: 'Incident channel #inc-20260714-ai-support-bot-101 opened',
      data: { channel: C },
    },
    {
      at: at('03:04:30'),
      kind: 'incident.acknowledged',
      actor: jane.name,
      text: 'Acknowledged by Jane Doe from Slack.',
      data: { via: 'Slack' },
    },
    ...said(
      C,
      at('03:06:10'),
      jane,
      'Seeing 503s from the provider. Their status page says degraded performance in eu-west.',
      sam,
    ),
    ...said(C, at('03:07:02'), sam, 'Fallback to human agents is staffed tonight. Should we kill it?'),
    ...said(C, at('03:07:40'), jane, 'Yes, killing it now.'),
    {
      at: at('03:12:43'),
      kind: 'flag.kill_confirmed',
      actor: jane.name,
      text: '*ai-support-bot* is OFF in production since 04:12:41 (Jane Doe: provider 503s, fallback to human agents). SDKs confirmed off after 1.2 s. Fallback: Human agents answer support chats.',
      data: { environment: 'production' },
    },
    ...said(C, at('03:14:20'), pat, 'Opened a vendor ticket via support@openai.example, ref 88231.', jane),
    {
      at: at('03:15:30'),
      kind: 'update.posted',
      actor: sam.name,
      text: 'We disabled AI support bot at 04:12 after the AI provider started failing. Human agents are answering chats. Next update at 04:45.',
      data: { nextUpdateAt: '2026-07-14T03:45:00.000Z' },
    },
    ...stormEntries,
    ...said(C, at('03:30:00'), sam, 'Queue for human agents is at 14 chats, fine.'),
    ...said(
      C,
      at('04:05:30'),
      pat,
      'Provider status page: resolved on their side at 04:02, error rate back to 0.2%.',
      sam,
    ),
    {
      at: at('04:06:00'),
      kind: 'alert.resolved',
      actor: 'alertmanager',
      text: `Alert resolved: ${ERRORS}`,
      data: { fingerprint: 'errors-1' },
    },
    {
      at: at('04:20:03'),
      kind: 'flag.ramp_step',
      actor: jane.name,
      text: '*ai-support-bot* restore step 1 of 3: ON for 10% in production. SDKs see it after 1.1 s. Next: 50% at 05:30 unless an alert fires.',
      dedupKey: 'kill-switch:{op1}:step-0',
    },
    {
      at: at('04:30:04'),
      kind: 'flag.ramp_step',
      actor: jane.name,
      text: '*ai-support-bot* restore step 2 of 3: ON for 50% in production. SDKs see it after 1.0 s. Next: 100% at 05:40 unless an alert fires.',
      dedupKey: 'kill-switch:{op1}:step-1',
    },
    {
      at: at('04:40:05'),
      kind: 'flag.ramp_step',
      actor: jane.name,
      text: '*ai-support-bot* is fully back ON in production (100%), restored by Jane Doe. SDKs see it after 1.2 s.',
      dedupKey: 'kill-switch:{op1}:step-2',
    },
    {
      at: at('04:45:00'),
      kind: 'incident.resolved',
      actor: jane.name,
      text: 'Resolved by Jane Doe from Slack.',
      data: { via: 'Slack' },
    },
  ],
};
