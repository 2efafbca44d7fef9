// The draft's timeline: the key entries in order, each said by role, quotes masked and marked
// as quotes, and storms of identical alerts folded into one line ("37 more alerts from the
// same rule between 03:10 and 03:25") so a thousand entries still read as a story. Pure.
import type { AlertFacts, TimelineItem } from './facts.ts';
import { fromMrkdwn, shorten } from './markdown.ts';
import type { Namer } from './people.ts';
import { addCounts, type Masked, maskPersonalData } from './redact.ts';

/** Alerts of one rule closer together than this are one burst. */
export const BURST_GAP_MS = 15 * 60_000;

export interface TimelineRow {
  at: Date;
  who: string;
  what: string;
  /** The text as people wrote it (masked, names as [role]): checked for blame, never rewritten. */
  quote: string | null;
  /** Failsafe's own sentence, also checked. */
  narrative: string;
  burst: { more: number; from: Date; to: Date; resolved: boolean } | null;
}

const HIDDEN = new Set(['slack.message', 'slack.message_edited', 'slack.message_deleted', 'update.reminder']);
const hidden = (kind: string) =>
  HIDDEN.has(kind) || kind.startsWith('postmortem.') || kind.startsWith('flag.drill');
const ALERT_KINDS = new Set(['incident.opened', 'alert.firing', 'alert.resolved']);

export interface TimelineResult {
  rows: TimelineRow[];
  masked: Masked['counts'];
  /** Key entries before folding bursts. */
  keyEntries: number;
}

export function buildTimeline(
  entries: readonly TimelineItem[],
  alerts: readonly AlertFacts[],
  namer: Namer,
): TimelineResult {
  const masked = { email: 0, phone: 0, secret: 0 };
  const mask = (text: string) => {
    const m = maskPersonalData(text);
    addCounts(masked, m.counts);
    return m.text;
  };
  const ruleOf = ruleNamer(alerts);
  const authors = new Map<string, string | null>();
  for (const e of entries) if (e.kind === 'slack.message') authors.set(e.dedupKey.slice(4), e.actor);
  const rows: TimelineRow[] = [];
  const open = new Map<string, { row: TimelineRow; last: number }>();
  let keyEntries = 0;
  for (const entry of entries) {
    if (hidden(entry.kind)) continue;
    keyEntries++;
    if (ALERT_KINDS.has(entry.kind)) {
      const key = `${entry.kind === 'alert.resolved' ? 'resolved' : 'firing'}:${ruleOf(entry)}`;
      const group = open.get(key);
      if (group && entry.at.getTime() - group.last <= BURST_GAP_MS) {
        group.row.burst ??= {
          more: 0,
          from: entry.at,
          to: entry.at,
          resolved: entry.kind === 'alert.resolved',
        };
        const burst = group.row.burst;
        burst.more++;
        burst.to = entry.at;
        group.last = entry.at.getTime();
        continue;
      }
      const row = narrate(entry, namer, mask, authors);
      open.set(key, { row, last: entry.at.getTime() });
      rows.push(row);
      continue;
    }
    rows.push(narrate(entry, namer, mask, authors));
  }
  return { rows, masked, keyEntries };
}

/** Which alert entries are identical: the rule (alertname, error-budget rule) and the summary. */
function ruleNamer(alerts: readonly AlertFacts[]) {
  const byFingerprint = new Map(alerts.map((a) => [a.fingerprint, a]));
  return (entry: TimelineItem): string => {
    const fingerprint = typeof entry.data?.fingerprint === 'string' ? entry.data.fingerprint : '';
    const labels =
      (entry.data?.labels as Record<string, string> | undefined) ??
      byFingerprint.get(fingerprint)?.labels ??
      {};
    // Identical means the same rule and the same words: two evals of one rule that say
    // different things both stay on the timeline.
    const name = labels.alertname ?? labels.slo_rule ?? labels.rule ?? '';
    return `${entry.actor ?? ''}:${name}:${entry.text.replace(/^(?:Incident opened|Alert firing|Alert resolved): /, '')}`;
  };
}

function narrate(
  entry: TimelineItem,
  namer: Namer,
  mask: (text: string) => string,
  authors: Map<string, string | null>,
): TimelineRow {
  const base = { at: entry.at, burst: null, quote: null };
  const said = (text: string) => namer.quote(mask(fromMrkdwn(text)));
  switch (entry.kind) {
    case 'slack.key_message': {
      const key = `${String(entry.data?.channel ?? '')}:${String(entry.data?.ts ?? '')}`;
      const author = authors.has(key) ? (authors.get(key) ?? null) : entry.actor;
      const quote = shorten(said(entry.text));
      return { ...base, who: namer.actor(author), what: `📌 “${quote}”`, quote, narrative: '' };
    }
    case 'update.posted': {
      const quote = shorten(said(entry.text));
      return {
        ...base,
        who: namer.actor(entry.actor),
        what: `Stakeholder update posted: “${quote}”`,
        quote,
        narrative: '',
      };
    }
    case 'incident.opened':
    case 'alert.firing':
    case 'alert.resolved': {
      const source = entry.actor ?? 'monitoring';
      const what = mask(fromMrkdwn(entry.text));
      return { ...base, who: namer.actor(source), what, narrative: what };
    }
    default: {
      const what = namer
        .narrate(mask(fromMrkdwn(entry.text)))
        .replace(/^(the|responder)\b/, (w) => w.charAt(0).toUpperCase() + w.slice(1));
      // PagerDuty's own actions (an escalation policy) carry no agent.
      const who =
        entry.actor || !entry.kind.startsWith('pagerduty.') ? namer.actor(entry.actor) : 'PagerDuty';
      return { ...base, who, what, narrative: what };
    }
  }
}
