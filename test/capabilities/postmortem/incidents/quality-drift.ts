// Incident #102: search summaries got slowly worse after a retrieval index rebuild. Nothing
// broke outright; the error budget's 6h/30m burn-rate alert paged the owner, the eval pipeline
// confirmed it, the index was rolled back (no kill), the burn stopped. Team in New York (EDT).
import { dayClock, PEOPLE, type SeedIncident, said } from '../seed.ts';

const at = dayClock('2026-08-03');
const C = 'C0INC102';
const { ana, sam } = PEOPLE;
const BURN = 'AI search summaries is burning its error budget 7.2× too fast (6h/30m)';
const EVAL = 'Golden-set pass rate 81% (threshold 90%)';
const EVAL_OK = 'Golden-set pass rate 93% (threshold 90%)';
const evalLabels = (index: string, rate: string) => ({
  alertname: 'SearchGoldenSetPassRate',
  ai_feature: 'ai-search-summaries',
  eval_suite: 'search-golden-v3',
  eval_pass_rate: rate,
  model: 'claude-x-2026-06',
  index_version: index,
});

export const qualityDrift: SeedIncident = {
  number: 102,
  featureKey: 'ai-search-summaries',
  title: BURN,
  severity: 'error',
  openedAt: at('14:30:02'),
  acknowledgedAt: at('14:41:00'),
  mitigatedAt: at('18:00:00'),
  resolvedAt: at('20:15:00'),
  rootCause: 'data',
  channelId: C,
  channelName: 'inc-20260803-ai-search-summaries-102',
  assignee: ana,
  pdIncidentUrl: 'https://example.pagerduty.com/incidents/PABC102',
  alerts: [
    {
      source: 'error-budget',
      fingerprint: 'error-budget:ai-search-summaries:6h/30m',
      status: 'resolved',
      severity: 'error',
      summary: BURN,
      description:
        'Bad eval and thumbs-down signals: 7.8% over 6 h and 8.1% over 30 min against a 1% budget (99% target); 31% of the 30-day budget left',
      labels: { ai_feature: 'ai-search-summaries', slo_rule: '6h/30m' },
      startsAt: at('14:30:00'),
      firstSeenAt: at('14:30:02'),
      endsAt: at('20:15:00'),
    },
    {
      source: 'generic',
      fingerprint: 'golden-set-1',
      status: 'resolved',
      severity: 'warning',
      summary: EVAL,
      labels: evalLabels('docs-2026-07-31', '0.81'),
      startsAt: at('15:10:00'),
      firstSeenAt: at('15:10:04'),
      endsAt: at('18:40:00'),
    },
    {
      source: 'generic',
      fingerprint: 'golden-set-2',
      status: 'resolved',
      severity: 'info',
      summary: EVAL_OK,
      labels: evalLabels('docs-2026-07-24', '0.93'),
      startsAt: at('18:40:00'),
      firstSeenAt: at('18:40:03'),
      endsAt: at('18:40:30'),
    },
  ],
  operations: [],
  entries: [
    {
      at: at('14:30:00'),
      kind: 'incident.opened',
      actor: 'error-budget',
      text: `Incident opened: ${BURN}`,
      data: {
        fingerprint: 'error-budget:ai-search-summaries:6h/30m',
        severity: 'error',
        labels: { ai_feature: 'ai-search-summaries', slo_rule: '6h/30m' },
      },
    },
    {
      at: at('14:30:05'),
      kind: 'page.sent',
      actor: 'failsafe',
      text: 'Paged Ana Ruiz through PagerDuty',
      data: { pdIncidentId: 'PABC102', mode: 'rest' },
    },
    {
      at: at('14:41:00'),
      kind: 'pagerduty.acknowledged',
      actor: ana.name,
      text: 'Acknowledged by Ana Ruiz from the PagerDuty app',
      data: { client: 'PagerDuty iOS' },
    },
    {
      at: at('14:42:10'),
      kind: 'channel.created',
      actor: 'failsafe',
      text: 'Incident channel #inc-20260803-ai-search-summaries-102 opened',
      data: { channel: C },
    },
    ...said(
      C,
      at('14:45:00'),
      ana,
      'Thumbs-down rate has been creeping up since Friday. Not a sudden break, a slow slide.',
      ana,
    ),
    {
      at: at('15:00:00'),
      kind: 'update.posted',
      actor: ana.name,
      text: 'Search summaries have been less accurate since Friday. Search itself works. Next update at 12:00.',
      data: {},
    },
    {
      at: at('15:10:00'),
      kind: 'alert.firing',
      actor: 'generic',
      text: `Alert firing: ${EVAL}`,
      data: {
        fingerprint: 'golden-set-1',
        severity: 'warning',
        labels: evalLabels('docs-2026-07-31', '0.81'),
      },
    },
    ...said(
      C,
      at('15:20:00'),
      sam,
      'Golden set: 81% vs 94% last week. The only change since then is the docs index rebuild on 2026-07-31.',
      ana,
    ),
    ...said(
      C,
      at('15:31:00'),
      sam,
      'The rebuild dropped the dedup step, so old and new versions of the same page both get retrieved.',
    ),
    ...said(
      C,
      at('16:05:00'),
      ana,
      'Rolling the retrieval index back to docs-2026-07-24. Not killing: summaries are worse, not harmful.',
      ana,
    ),
    {
      at: at('17:30:00'),
      kind: 'incident.root_cause',
      actor: ana.name,
      text: 'Root-cause bin set to Data by Ana Ruiz',
    },
    { at: at('18:00:00'), kind: 'incident.mitigated', actor: ana.name, text: 'Marked mitigated by Ana Ruiz' },
    {
      at: at('18:40:00'),
      kind: 'alert.firing',
      actor: 'generic',
      text: `Alert firing: ${EVAL_OK}`,
      data: { fingerprint: 'golden-set-2', severity: 'info', labels: evalLabels('docs-2026-07-24', '0.93') },
    },
    {
      at: at('18:40:01'),
      kind: 'alert.resolved',
      actor: 'generic',
      text: `Alert resolved: ${EVAL}`,
      data: { fingerprint: 'golden-set-1' },
    },
    {
      at: at('18:40:30'),
      kind: 'alert.resolved',
      actor: 'generic',
      text: `Alert resolved: ${EVAL_OK}`,
      data: { fingerprint: 'golden-set-2' },
    },
    {
      at: at('20:15:00'),
      kind: 'alert.resolved',
      actor: 'error-budget',
      text: `Alert resolved: ${BURN}`,
      data: { fingerprint: 'error-budget:ai-search-summaries:6h/30m' },
    },
    {
      at: at('20:15:00'),
      kind: 'incident.resolved',
      actor: 'failsafe',
      text: 'Incident resolved automatically: all of its alerts resolved',
    },
  ],
};
