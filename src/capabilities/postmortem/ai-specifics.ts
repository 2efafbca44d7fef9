// What makes an AI incident different: which model, provider, prompt and flag versions the
// alerts saw (and whether they changed mid-incident — drift), and the quality signals that
// fired (error-budget burn alerts, eval labels). Read from the alerts' labels. Pure.
import type { AlertFacts } from './facts.ts';

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
  budgetAlerts: {
    at: Date;
    endsAt: Date | null;
    rule: string;
    summary: string;
    description: string | null;
  }[];
}

export function aiSpecifics(alerts: readonly AlertFacts[], featureLabel = 'ai_feature'): AiSpecifics {
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
