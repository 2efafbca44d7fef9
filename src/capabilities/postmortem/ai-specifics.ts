// What makes an AI incident different: which model, provider, prompt and flag versions the
// alerts saw (and whether they changed mid-incident — drift), and the quality signals that
// fired (error-budget burn alerts, eval labels). Read from the alerts' labels. Pure.
import type { AlertFacts, TimelineItem } from './facts.ts';

/** Label names that describe the AI stack rather than the host. */
const AI_LABEL =
  /model|provider|vendor|llm|prompt|flag|version|eval|dataset|embedding|index|retriev|temperature|guardrail|deployment|region/i;
const QUALITY_LABEL = /score|quality|accuracy|grounded|hallucinat|toxic|thumbs|csat|pass_rate|error_rate/i;
/** Routing and bookkeeping labels, never interesting here. */
const IGNORED = new Set([
  'alertname',
  'severity',
  'instance',
  'job',
  'ai_feature',
  'feature',
  'slo_rule',
  'service',
]);

export interface LabelValue {
  value: string;
  alerts: number;
  firstSeen: Date;
}

export interface AiSpecifics {
  versions: { label: string; values: LabelValue[] }[];
  quality: { label: string; values: LabelValue[] }[];
  /** Quality watches that fired (a page's alert, or a notice's timeline entry), with replay links. */
  watchAlerts: WatchCatch[];
  budgetAlerts: {
    at: Date;
    endsAt: Date | null;
    rule: string;
    summary: string;
    description: string | null;
  }[];
}

export interface WatchCatch {
  at: Date;
  endsAt: Date | null;
  metric: string;
  summary: string;
  links: { url: string; label: string }[];
}

/** replay_1 / replay_1_label, … as the quality watch writes them on its alerts. */
function replayLinks(annotations: Record<string, string> = {}): WatchCatch['links'] {
  const links: WatchCatch['links'] = [];
  for (let i = 1; annotations[`replay_${i}`]; i++)
    links.push({
      url: annotations[`replay_${i}`] as string,
      label: annotations[`replay_${i}_label`] ?? 'replay',
    });
  return links;
}

function linksOf(data: Record<string, unknown> | null): WatchCatch['links'] {
  const raw = Array.isArray(data?.links) ? data.links : [];
  return raw.flatMap((l) =>
    l && typeof l === 'object' && typeof l.url === 'string' && typeof l.label === 'string'
      ? [{ url: l.url, label: l.label }]
      : [],
  );
}

/**
 * Every fire left a `watch.fired` entry with its numbers and links (the alert row itself takes
 * the recovery's text when it resolves); an alert with no entry is read from its annotations.
 */
function watchCatches(sorted: readonly AlertFacts[], entries: readonly TimelineItem[]): WatchCatch[] {
  const metricOf = (e: TimelineItem) => String(e.data?.metric ?? 'metric');
  const recovered = entries.filter((e) => e.kind === 'watch.recovered');
  const fromEntries = entries
    .filter((e) => e.kind === 'watch.fired')
    .map((e) => ({
      at: e.at,
      endsAt: recovered.find((r) => metricOf(r) === metricOf(e) && r.at >= e.at)?.at ?? null,
      metric: metricOf(e),
      summary: e.text,
      links: linksOf(e.data),
    }));
  const told = new Set(fromEntries.map((w) => w.metric));
  const fromAlerts = sorted
    .filter((a) => a.source === 'quality-watch' && !told.has(a.labels.watch_metric ?? 'metric'))
    .map((a) => ({
      at: a.startsAt,
      endsAt: a.status === 'resolved' ? a.endsAt : null,
      metric: a.labels.watch_metric ?? 'metric',
      summary: a.summary,
      links: replayLinks(a.annotations),
    }));
  return [...fromEntries, ...fromAlerts].sort((a, b) => a.at.getTime() - b.at.getTime());
}

export function aiSpecifics(
  alerts: readonly AlertFacts[],
  featureLabel = 'ai_feature',
  entries: readonly TimelineItem[] = [],
): AiSpecifics {
  const byLabel = new Map<string, Map<string, LabelValue>>();
  const sorted = [...alerts].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (const alert of sorted) {
    for (const [label, value] of Object.entries(alert.labels)) {
      if (IGNORED.has(label) || label === featureLabel || typeof value !== 'string') continue;
      if (!AI_LABEL.test(label) && !QUALITY_LABEL.test(label)) continue;
      const values = byLabel.get(label) ?? new Map<string, LabelValue>();
      byLabel.set(label, values);
      const seen = values.get(value);
      if (seen) seen.alerts++;
      else values.set(value, { value, alerts: 1, firstSeen: alert.startsAt });
    }
  }
  const list = (test: (label: string) => boolean) =>
    [...byLabel.entries()]
      .filter(([label]) => test(label))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, values]) => ({ label, values: [...values.values()] }));
  return {
    versions: list((l) => !QUALITY_LABEL.test(l)),
    quality: list((l) => QUALITY_LABEL.test(l)),
    watchAlerts: watchCatches(sorted, entries),
    budgetAlerts: sorted
      .filter((a) => a.source === 'error-budget')
      .map((a) => ({
        at: a.startsAt,
        endsAt: a.status === 'resolved' ? a.endsAt : null,
        rule: a.labels.slo_rule ?? 'budget',
        summary: a.summary,
        description: a.description,
      })),
  };
}
