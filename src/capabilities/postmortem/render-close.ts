// The timeline table, what is left to do (guardrail, action items, review), the language
// check and the appendix — the only place names appear.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { addHours } from 'date-fns/addHours';
import { format } from 'date-fns/format';
import { escapeMarkdown, markdownLink } from '../../kernel/markdown-text.ts';
import type { Finding } from './blameless.ts';
import type { DraftContext } from './context.ts';
import { cell, heading, table } from './markdown.ts';
import { roleLabel } from './people.ts';
import { maskPersonalData } from './redact.ts';
import type { TimelineRow } from './timeline.ts';
import { duration, localClock, localDate, utcClock, utcDate, zoneAbbreviation } from './times.ts';

const FILL = (what: string) => `_${what}_`;

export function timelineSection(c: DraftContext): string {
  const start = c.m.firstSignal.at;
  const zoneName = zoneAbbreviation(start, c.zone);
  const utc = (at: Date) =>
    `${utcDate(at) === utcDate(start) ? '' : `${utcDate(at).slice(5)} `}${utcClock(at)}`;
  const local = (at: Date) =>
    `${localDate(at, c.zone) === localDate(start, c.zone) ? '' : `${localDate(at, c.zone).slice(5)} `}${localClock(at, c.zone)}`;
  const rows = c.timeline.rows.map((r) =>
    [utc(r.at), local(r.at), r.who, `${r.what}${burstText(c, r)}`].map(cell),
  );
  const showLocal = zoneName !== 'UTC';
  const header = showLocal ? ['UTC', zoneName, 'who', 'what'] : ['UTC', 'who', 'what'];
  const body = showLocal ? rows : rows.map(([a, , who, what]) => [a ?? '', who ?? '', what ?? '']);
  const folded = c.timeline.keyEntries - c.timeline.rows.length;
  return [
    heading('Timeline'),
    '',
    `Key entries from ${utcDate(start)} (UTC)${showLocal ? ` and ${c.zone}` : ''}, in order. People appear by role; quotes are as written, with names shown as [role] and personal data masked.${folded > 0 ? ` ${folded} repeated alert entr${folded === 1 ? 'y is' : 'ies are'} folded into the line${folded === 1 ? '' : 's'} they repeat.` : ''}`,
    '',
    rows.length ? table(header, body) : '_No key entries recorded._',
  ].join('\n');
}

function burstText(c: DraftContext, row: TimelineRow): string {
  const b = row.burst;
  if (!b) return '';
  const what = `${b.more} more ${b.resolved ? 'resolved ' : ''}alert${b.more === 1 ? '' : 's'} from the same rule`;
  const span = (from: string, to: string) => (from === to ? `at ${from}` : `between ${from} and ${to}`);
  const utc = span(utcClock(b.from).slice(0, 5), utcClock(b.to).slice(0, 5));
  const zone = zoneAbbreviation(b.from, c.zone);
  const [from, to] = [localClock(b.from, c.zone), localClock(b.to, c.zone)];
  const local = zone === 'UTC' ? '' : ` (${from === to ? from : `${from}–${to}`} ${zone})`;
  return ` — and ${what} ${utc} UTC${local}`;
}

export function guardrailSection(): string {
  return [
    heading('Guardrail added'),
    '',
    `- ${FILL('what now stops this from happening again, or catches it sooner: an alert, an eval gate, a config check, a runbook step')}`,
  ].join('\n');
}

export function actionItemsSection(c: DraftContext): string {
  const base = c.facts.incident.resolvedAt ?? c.facts.incident.openedAt;
  const due = format(new TZDate(addDays(base, 14), c.zone), 'yyyy-MM-dd');
  const owner = roleOf(c, 'feature owner') ?? 'the feature owner';
  const lead = roleOf(c, 'incident lead') ?? roleOf(c, 'on-call engineer') ?? 'the incident lead';
  const rows: string[][] = [];
  const { metrics } = c;
  if (metrics.timeToDetectMs !== null && metrics.timeToDetectMs > 5 * 60_000)
    rows.push([
      `Detect sooner: the first alert came ${duration(metrics.timeToDetectMs)} after the first signal`,
      owner,
      due,
    ]);
  if (metrics.timeToAcknowledgeMs !== null && metrics.timeToAcknowledgeMs > 15 * 60_000)
    rows.push([`Look at paging: acknowledgement took ${duration(metrics.timeToAcknowledgeMs)}`, lead, due]);
  if (c.facts.flagOperations.some((o) => o.kind === 'kill' && o.state === 'unverified'))
    rows.push(['Make the kill switch verifiable: SDKs did not confirm it off in time', owner, due]);
  if (c.facts.flagOperations.some((o) => o.kind === 'restore' && o.state === 'aborted'))
    rows.push(['Find out why the re-enable ramp was stopped before it is tried again', owner, due]);
  if (!c.facts.flagOperations.some((o) => o.kind === 'kill') && c.facts.feature.flag)
    rows.push([
      'Decide whether turning the feature off would have helped, and say so in the runbook',
      owner,
      due,
    ]);
  const overdue = c.facts.entries.filter((e) => e.kind === 'update.overdue').length;
  if (overdue)
    rows.push([
      `Stakeholder updates were late ${overdue} time${overdue === 1 ? '' : 's'}: share the load`,
      lead,
      due,
    ]);
  rows.push(['Add the guardrail above and link it here', owner, due]);
  rows.push([FILL('action'), FILL('owner'), FILL('due date')]);
  return [
    heading('Action items'),
    '',
    table(
      ['action', 'owner', 'due'],
      rows.map((r) => r.map(cell)),
    ),
  ].join('\n');
}

function roleOf(c: DraftContext, role: string): string | null {
  const person = c.facts.people.find((p) => p.roles.includes(role));
  return person ? roleLabel({ ...person, roles: [role] }) : null;
}

export function ownersSection(c: DraftContext): string {
  const holder = (role: string) => c.facts.people.find((p) => p.roles.includes(role));
  const ownerPerson = holder('incident lead') ?? holder('on-call engineer');
  const owner = ownerPerson ? roleLabel(ownerPerson) : FILL('who owns this postmortem');
  // Each person once, by the role that names them, and never the owner themself.
  const reviewers = [...new Set(['feature owner', 'on-call engineer', 'escalation engineer'].map(holder))]
    .filter((p): p is NonNullable<typeof p> => p !== undefined && p !== ownerPerson)
    .map((p) => roleLabel(p));
  const resolved = c.facts.incident.resolvedAt;
  const { reviewedAt } = c.facts.review;
  const next = resolved
    ? `by ${c.at(addHours(resolved, 48))} (Failsafe reminds the channel and the incident lead then, and the feature owner at 72 h)`
    : 'within 48 hours of resolution';
  return [
    heading('Owner / Reviewers / Next review'),
    '',
    `- **Owner:** ${owner}`,
    `- **Reviewers:** ${reviewers.length ? reviewers.join(', ') : FILL('who reviews it')}`,
    `- **Review:** ${reviewedAt ? `reviewed ${c.at(reviewedAt)}` : 'not reviewed yet — `/ai-postmortem reviewed` in the incident channel once it is'}`,
    `- **Next review:** ${reviewedAt ? FILL('when to check the action items are done') : next}`,
  ].join('\n');
}

export function languageSection(c: DraftContext, findings: readonly Finding[]): string {
  const masked = c.timeline.masked;
  const parts = [
    masked.email && `${masked.email} email address${masked.email === 1 ? '' : 'es'}`,
    masked.phone && `${masked.phone} phone number${masked.phone === 1 ? '' : 's'}`,
    masked.secret && `${masked.secret} secret-looking string${masked.secret === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const out = [heading('Language check'), ''];
  if (!findings.length) out.push('No sentence in this draft or its quotes assigns blame to a person.');
  else {
    out.push(
      `${findings.length} sentence${findings.length === 1 ? ' reads' : 's read'} as blaming a person. Quotes are kept as written: rewrite the draft's own text, discuss the quotes in the review, then regenerate.`,
      '',
      table(
        ['where', 'sentence', 'reads as blame', 'suggested rewrite'],
        findings.map((f) => [f.where, `“${f.sentence}”`, `“${f.found}”`, f.suggestion].map(cell)),
      ),
    );
  }
  if (parts.length) out.push('', `Masked in quotes: ${parts.join(', ')}.`);
  return out.join('\n');
}

export function appendixSection(c: DraftContext): string {
  const { facts } = c;
  const people = facts.people.map((p) => [p.roles.join(', '), p.name, p.slackId ?? ''].map(escapeMarkdown));
  const messages = facts.entries.filter((e) => e.kind === 'slack.message');
  const speakers = new Set(messages.map((e) => e.actor));
  const refs = [
    `- Incident #${facts.incident.number}${facts.incident.channelName ? `, channel #${escapeMarkdown(facts.incident.channelName)}` : ''}${facts.incident.pdIncidentUrl ? `, ${markdownLink(facts.incident.pdIncidentUrl, 'PagerDuty incident')}` : ''}.`,
    ...replayRefs(c),
    `- Built from ${facts.entries.length} timeline entries, of which ${messages.length} channel messages from ${speakers.size} ${speakers.size === 1 ? 'person' : 'people'}, and ${facts.alerts.length} alert${facts.alerts.length === 1 ? '' : 's'}.`,
  ];
  return [
    heading('Appendix: people and references'),
    '',
    'Names appear only here, for follow-up questions; the draft above uses roles.',
    '',
    people.length
      ? table(
          ['role', 'name', 'Slack'],
          people.map((r) => r.map(cell)),
        )
      : '_No people recorded._',
    '',
    ...refs,
  ].join('\n');
}

/** Evidence: the replay links the quality watches carried, each once. */
function replayRefs(c: DraftContext): string[] {
  const seen = new Map<string, string>();
  for (const w of c.ai.watchAlerts) for (const l of w.links) if (!seen.has(l.url)) seen.set(l.url, l.label);
  if (!seen.size) return [];
  const links = [...seen].map(([url, label]) => markdownLink(url, maskPersonalData(label).text));
  return [`- Replay links from the quality watches: ${links.join(', ')}.`];
}
