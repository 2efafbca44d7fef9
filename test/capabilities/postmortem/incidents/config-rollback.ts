// Incident #103: a config change widened the context of reply drafts to the whole tenant, so
// drafts quoted another customer's order. An agent noticed first and declared it; monitoring
// (a guardrail alert) followed; the page escalated once; the config was rolled back by hand,
// no kill. The channel has a message that blames a person and one with personal data.
// Team in Berlin (CEST).
import { dayClock, PEOPLE, type SeedIncident, said } from '../seed.ts';

const at = dayClock('2026-09-22');
const C = 'C0INC103';
const { jane, sam, ana, pat } = PEOPLE;
const TITLE = "Reply drafts quote another customer's order";
const GUARDRAIL = "Guardrail blocked 212 drafts quoting another customer's data in 10 min";
const labels = {
  alertname: 'ReplyDraftsGuardrailBlocks',
  ai_feature: 'ai-reply-drafts',
  guardrail: 'pii-cross-customer',
  config_version: 'drafts-cfg-418',
  model: 'gpt-4o-mini-2024-07-18',
};

export const configRollback: SeedIncident = {
  number: 103,
  featureKey: 'ai-reply-drafts',
  title: TITLE,
  severity: 'critical',
  openedAt: at('09:12:00'),
  acknowledgedAt: at('09:31:00'),
  mitigatedAt: at('09:47:00'),
  resolvedAt: at('10:20:00'),
  rootCause: 'config',
  channelId: C,
  channelName: 'inc-20260922-ai-reply-drafts-103',
  leadSlackId: pat.id,
  declaredBy: pat.id,
  assignee: ana,
  pdIncidentUrl: 'https://example.pagerduty.com/incidents/PABC103',
  alerts: [
    {
      source: 'grafana',
      fingerprint: 'guardrail-1',
      status: 'resolved',
      severity: 'critical',
      summary: GUARDRAIL,
      labels,
      startsAt: at('09:18:00'),
      firstSeenAt: at('09:20:00'),
      endsAt: at('09:58:00'),
    },
  ],
  operations: [],
  entries: [
    ...said(
      C,
      at('09:10:00'),
      pat,
      "Customer says the suggested reply mentions someone else's order #55121. Contact jo.bloggs@example.com or +1 415 555 0132.",
      pat,
    ),
    {
      at: at('09:12:00'),
      kind: 'incident.declared',
      actor: pat.name,
      text: `Incident declared by Pat Kim: ${TITLE}`,
      data: { severity: 'critical' },
    },
    {
      at: at('09:12:30'),
      kind: 'page.sent',
      actor: 'failsafe',
      text: 'Paged Jane Doe through PagerDuty',
      data: { pdIncidentId: 'PABC103', mode: 'rest' },
    },
    {
      at: at('09:13:00'),
      kind: 'channel.created',
      actor: 'failsafe',
      text: 'Incident channel #inc-20260922-ai-reply-drafts-103 opened',
      data: { channel: C },
    },
    {
      at: at('09:18:00'),
      kind: 'alert.firing',
      actor: 'grafana',
      text: `Alert firing: ${GUARDRAIL}`,
      data: { fingerprint: 'guardrail-1', severity: 'critical', labels },
    },
    {
      at: at('09:27:30'),
      kind: 'pagerduty.escalated',
      actor: null,
      text: 'Escalated to Ana Ruiz by PagerDuty',
      data: {},
    },
    {
      at: at('09:31:00'),
      kind: 'incident.acknowledged',
      actor: ana.name,
      text: 'Acknowledged by Ana Ruiz from Slack.',
      data: { via: 'Slack' },
    },
    ...said(
      C,
      at('09:35:00'),
      jane,
      'Config drafts-cfg-418 went out at 10:55 with context_window_scope=tenant instead of conversation (deploy log: https://ci.example.com/run/8812?token=abc123def456).',
      pat,
    ),
    ...said(
      C,
      at('09:40:00'),
      sam,
      'Jane should have caught that in review. Careless rollout, honestly.',
      pat,
    ),
    ...said(
      C,
      at('09:46:00'),
      jane,
      'Rolled back to drafts-cfg-417 by hand. Guardrail blocks are dropping.',
      pat,
    ),
    {
      at: at('09:47:00'),
      kind: 'incident.mitigated',
      actor: jane.name,
      text: 'Marked mitigated by Jane Doe',
    },
    {
      at: at('09:50:00'),
      kind: 'update.posted',
      actor: pat.name,
      text: "Reply drafts showed details from another customer's order to some agents between 10:55 and 11:46. We rolled the change back. Next update at 12:30.",
      data: {},
    },
    {
      at: at('09:58:00'),
      kind: 'alert.resolved',
      actor: 'grafana',
      text: `Alert resolved: ${GUARDRAIL}`,
      data: { fingerprint: 'guardrail-1' },
    },
    ...said(
      C,
      at('10:05:00'),
      pat,
      'Blocks at 0 for 15 min. Support is contacting the two affected customers.',
      pat,
    ),
    {
      at: at('10:10:00'),
      kind: 'incident.root_cause',
      actor: pat.name,
      text: 'Root-cause bin set to Config by Pat Kim',
    },
    { at: at('10:20:00'), kind: 'incident.resolved', actor: pat.name, text: 'Resolved by Pat Kim' },
  ],
};
