// The postmortem draft: Markdown built from the facts, deterministic (the same facts give the
// same body, so a regeneration that changes nothing is recognised), with the blameless check
// run over everything it says and quotes. Pure.
import { createHash } from 'node:crypto';
import { escapeMarkdown } from '../../kernel/markdown-text.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import type { BlameRule } from './blame-rules.ts';
import { createBlameChecker, type Finding } from './blameless.ts';
import { type DraftContext, draftContext } from './context.ts';
import type { PostmortemFacts } from './facts.ts';
import { fromMrkdwn } from './markdown.ts';
import type { Metrics } from './metrics.ts';
import { maskPersonalData } from './redact.ts';
import { actionsSection, aiSection, fixSection, rootCauseSection } from './render-actions.ts';
import {
  actionItemsSection,
  appendixSection,
  guardrailSection,
  languageSection,
  ownersSection,
  timelineSection,
} from './render-close.ts';
import { detectionSection, impactSection, metricsSection, summarySection } from './render-story.ts';
import { utcClock } from './times.ts';

export type { Finding } from './blameless.ts';

export interface Draft {
  /** Markdown, for the file. */
  title: string;
  /** The same title escaped for Slack's mrkdwn, for the message that goes with the file. */
  slackTitle: string;
  /** Everything but the header: what versions are compared by. */
  body: string;
  digest: string;
  findings: Finding[];
  metrics: Metrics;
  masked: { email: number; phone: number; secret: number };
  alerts: number;
}

export interface DraftOptions {
  rules?: readonly BlameRule[];
  /** The catalog's feature label, left out of the AI specifics. */
  featureLabel?: string;
}

export function buildDraft(facts: PostmortemFacts, options: DraftOptions = {}): Draft {
  const c = draftContext(facts, options.featureLabel ?? 'ai_feature');
  const findings = checkLanguage(c, options.rules);
  const sections = [
    summarySection(c),
    metricsSection(c),
    detectionSection(c),
    impactSection(c),
    actionsSection(c),
    timelineSection(c),
    rootCauseSection(c),
    aiSection(c),
    fixSection(c),
    guardrailSection(),
    actionItemsSection(c),
    ownersSection(c),
    languageSection(c, findings),
    appendixSection(c),
  ];
  const body = `${sections.join('\n\n')}\n`;
  return {
    title: `Incident #${facts.incident.number} — ${escapeMarkdown(facts.feature.name)}: ${maskPersonalData(fromMrkdwn(facts.incident.title)).text}`,
    slackTitle: `Incident #${facts.incident.number} — ${escapeMrkdwn(facts.feature.name)}: ${escapeMrkdwn(maskPersonalData(facts.incident.title).text)}`,
    body,
    digest: createHash('sha256').update(body).digest('hex'),
    findings,
    metrics: c.metrics,
    masked: c.timeline.masked,
    alerts: facts.alerts.length,
  };
}

function checkLanguage(c: DraftContext, rules: readonly BlameRule[] | undefined): Finding[] {
  const checker = createBlameChecker(rules, c.namer.names);
  const findings: Finding[] = [];
  const check = (text: string, where: string) => {
    for (const f of checker.check(text)) findings.push({ ...f, where });
  };
  check(maskPersonalData(fromMrkdwn(c.facts.incident.title)).text, 'Summary (incident title)');
  for (const row of c.timeline.rows) {
    const when = `Timeline ${utcClock(row.at)} UTC`;
    if (row.quote) check(row.quote, `${when}, quote from ${row.who}`);
    if (row.narrative) check(row.narrative, when);
  }
  for (const op of c.facts.flagOperations)
    check(escapeMarkdown(maskPersonalData(op.reason).text), 'Actions taken (kill switch reason)');
  return findings;
}

/** The header above the body: title, version, when, and what changed since the last one. */
export function draftHeader(
  draft: Pick<Draft, 'title'>,
  version: { version: number; generatedAt: Date; changes: string | null },
): string {
  const when = `${version.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const lines = [
    `# Postmortem draft: ${draft.title}`,
    '',
    `> Version ${version.version}, generated ${when} by Failsafe from the incident timeline. Blameless by design: it describes what the system did; people appear by role, and by name only in the appendix. Edit freely — regenerating makes a new version.`,
  ];
  if (version.changes) lines.push('>', `> Changed since version ${version.version - 1}: ${version.changes}`);
  return `${lines.join('\n')}\n\n`;
}

export const assemble = (header: string, body: string) => `${header}${body}`;
