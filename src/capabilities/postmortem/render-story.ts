// The opening sections: a summary a non-engineer can read, the computed metrics, how the
// incident was detected and what it affected.

import { escapeMarkdown } from '../../kernel/markdown-text.ts';
import type { DraftContext } from './context.ts';
import { cell, fromMrkdwn, heading, table } from './markdown.ts';
import { capitalise, systemName } from './people.ts';
import { maskPersonalData } from './redact.ts';
import { between, duration, localDay } from './times.ts';

const FILL = (what: string) => `_${what}_`;

export function summarySection(c: DraftContext): string {
  const { incident, feature } = c.facts;
  const { firstSignal, mitigated, resolved } = c.m;
  const kill = c.facts.flagOperations.find((op) => op.kind === 'kill' && op.flippedAt);
  const title = maskPersonalData(fromMrkdwn(incident.title)).text.replace(/[.\s]+$/, '');
  const span = resolved
    ? `for ${between(firstSignal.at, resolved.at)} (${c.local(firstSignal.at)} to ${c.local(resolved.at)})`
    : `from ${c.local(firstSignal.at)} (the incident is not resolved yet)`;
  const sentences = [
    `On ${localDay(firstSignal.at, c.zone)}, ${feature.name} did not work as intended ${span}: “${title}”.`,
  ];
  if (kill?.flippedAt) {
    const fallback = feature.fallback ? `: ${feature.fallback.replace(/\.$/, '').toLowerCase()}` : '';
    sentences.push(
      `People using ${feature.name} were affected until ${c.local(kill.flippedAt)}, when it was switched off and they got the fallback instead${fallback}.`,
    );
  } else if (mitigated) {
    sentences.push(
      `People using ${feature.name} were affected until it was mitigated at ${c.local(mitigated.at)}.`,
    );
  } else {
    sentences.push(`People using ${feature.name} were affected while it lasted.`);
  }
  const noticed =
    c.m.declared && (!c.m.firstAlert || c.m.declared.at <= c.m.firstAlert.at)
      ? `${capitalise(c.namer.actor(c.m.declared.actor))} noticed it and declared an incident`
      : `${capitalise(systemName(c.m.firstAlert?.source ?? 'monitoring'))} raised the alarm${c.metrics.timeToDetectMs !== null && c.metrics.timeToDetectMs >= 60_000 ? ` ${duration(c.metrics.timeToDetectMs)} after it started` : ''}`;
  const ack =
    c.metrics.timeToAcknowledgeMs !== null
      ? `, and it was acknowledged within ${duration(c.metrics.timeToAcknowledgeMs)}`
      : '';
  sentences.push(`${noticed}${ack}.`);
  if (resolved) sentences.push(`It was resolved at ${c.local(resolved.at)}.`);
  sentences.push(`Customer impact is still to be confirmed (see Impact).`);
  return [heading('Summary'), '', sentences.join(' ')].join('\n');
}

export function metricsSection(c: DraftContext): string {
  const { m, metrics } = c;
  const row = (name: string, ms: number | null, from: string, to: string, none: string) =>
    ms === null ? [name, none, from, '—'] : [name, `**${duration(ms)}**`, from, to];
  const detected = `${m.detected.what === 'declared' ? 'declared' : 'first alert'} ${c.at(m.detected.at)}`;
  const mitigation = m.mitigated ?? m.resolved;
  const rows = [
    row(
      'Time to detect',
      metrics.timeToDetectMs,
      `first signal ${c.at(m.firstSignal.at)}`,
      m.firstAlert ? `first alert ${c.at(m.firstAlert.at)}` : '',
      'no alert fired',
    ),
    row(
      'Time to acknowledge',
      metrics.timeToAcknowledgeMs,
      detected,
      m.acknowledged ? c.at(m.acknowledged.at) : '',
      'not acknowledged',
    ),
    row(
      'Time to mitigate',
      metrics.timeToMitigateMs,
      detected,
      mitigation
        ? `${mitigation === m.mitigated ? m.mitigated.what : 'resolved (no separate mitigation)'} ${c.at(mitigation.at)}`
        : '',
      'not mitigated yet',
    ),
    row(
      'Time to resolve',
      metrics.timeToResolveMs,
      detected,
      m.resolved ? c.at(m.resolved.at) : '',
      'not resolved yet',
    ),
  ];
  return [
    heading('Metrics'),
    '',
    'Computed from the recorded timeline, not typed in.',
    '',
    table(
      ['metric', 'value', 'from', 'to'],
      rows.map((r) => r.map(cell)),
    ),
  ].join('\n');
}

export function detectionSection(c: DraftContext): string {
  const { m, metrics, facts } = c;
  const lines = [`- **Started:** ${c.at(m.firstSignal.at)} — the first signal.`];
  if (m.firstAlert) {
    const summary = maskPersonalData(fromMrkdwn(m.firstAlert.what)).text;
    lines.push(
      `- **First alert:** “${summary}” from ${systemName(m.firstAlert.source)}, received ${c.at(m.firstAlert.at)}.`,
    );
  } else {
    lines.push('- **First alert:** none — no monitoring alert fired for this incident.');
  }
  if (m.firstAlert?.source === 'error-budget')
    lines.push(
      '- **Note:** an error budget catches a slow burn; the underlying drift may have started well before this first signal (see AI specifics).',
    );
  const humanFirst = m.declared && (!m.firstAlert || m.declared.at <= m.firstAlert.at);
  lines.push(
    humanFirst
      ? `- **Noticed by:** a person — ${c.namer.actor(m.declared?.actor ?? null)} declared the incident at ${c.at((m.declared ?? m.detected).at)}.`
      : `- **Noticed by:** ${systemName(m.firstAlert?.source ?? 'monitoring')}.`,
  );
  const page = facts.entries.find((e) => e.kind === 'page.sent');
  if (page)
    lines.push(`- **Paged:** ${c.namer.narrate(page.text).replace(/^Paged /, '')}, ${c.at(page.at)}.`);
  const escalations = facts.entries.filter(
    (e) => e.kind === 'incident.escalated' || e.kind === 'pagerduty.escalated',
  );
  const first = escalations[0];
  if (first) lines.push(`- **Escalations:** ${escalations.length}, the first ${c.at(first.at)}.`);
  if (m.acknowledged) {
    const via = m.acknowledged.via ? ` from ${escapeMarkdown(m.acknowledged.via)}` : '';
    lines.push(
      `- **Acknowledged:** by ${c.namer.actor(m.acknowledged.actor)}${via}, ${c.at(m.acknowledged.at)}.`,
    );
  } else lines.push('- **Acknowledged:** not recorded.');
  lines.push(
    `- **Time to detect:** ${metrics.timeToDetectMs === null ? 'not applicable (no alert)' : duration(metrics.timeToDetectMs)} · **Time to acknowledge:** ${metrics.timeToAcknowledgeMs === null ? 'not recorded' : duration(metrics.timeToAcknowledgeMs)}`,
  );
  return [heading('Detection'), '', ...lines].join('\n');
}

export function impactSection(c: DraftContext): string {
  const { facts, m } = c;
  const end = m.resolved?.at ?? null;
  const exposed = m.mitigated ?? m.resolved;
  const rules = new Set(facts.alerts.map((a) => a.labels.alertname ?? a.labels.slo_rule ?? a.summary));
  const updates = facts.entries.filter((e) => e.kind === 'update.posted').length;
  const kill = facts.flagOperations.find((op) => op.kind === 'kill' && op.flippedAt);
  const lines = [
    `- **Duration:** ${end ? `${between(m.firstSignal.at, end)} from the first signal to resolution` : 'not resolved yet'}${exposed ? `; users were exposed for ${between(m.firstSignal.at, exposed.at)} (until ${exposedUntil(m)}).` : '.'}`,
    `- **Alerts:** ${facts.alerts.length} alert${facts.alerts.length === 1 ? '' : 's'} from ${rules.size} rule${rules.size === 1 ? '' : 's'}; ${c.timeline.keyEntries} key timeline entr${c.timeline.keyEntries === 1 ? 'y' : 'ies'}.`,
    `- **Features affected:** ${facts.feature.name} (\`${facts.feature.key}\`)${facts.feature.flag ? `, flag \`${facts.feature.flag.flag}\` in ${facts.feature.flag.environment}` : ''}.`,
    `- **Stakeholder updates:** ${updates} posted.`,
    '- **Customer impact** (to fill in):',
    `  - Users or requests affected: ${FILL('how many, which segment')}`,
    `  - What they saw: ${kill && facts.feature.fallback ? `the fallback while switched off (${facts.feature.fallback}); before that, ${FILL('describe')}` : FILL('describe')}`,
    `  - Cost, refunds or SLA credits: ${FILL('amount or none')}`,
    `  - Data or personal data exposed: ${FILL('yes / no, and what')}`,
  ];
  return [heading('Impact'), '', ...lines].join('\n');
}

function exposedUntil(m: DraftContext['m']): string {
  if (!m.mitigated) return 'resolution';
  return m.mitigated.what === 'kill switch off'
    ? 'the kill switch turned the feature off'
    : 'it was marked mitigated';
}
