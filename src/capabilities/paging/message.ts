// Block Kit for the incident message in the feature's alerts channel. It is rendered from
// the database every time, so a post, a count refresh and a retry all show the same truth.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { SlackBlock } from '../../adapters/slack.ts';
import { escapeMrkdwn, formatTime, slackLink } from '../../kernel/slack-text.ts';

export interface IncidentView {
  id: string;
  number: number;
  featureKey: string;
  featureName: string;
  status: string;
  severity: string;
  title: string;
  openedAt: Date;
  resolvedAt: Date | null;
  alertCount: number;
  firingCount: number;
  sourceUrl: string | null;
  pdIncidentUrl: string | null;
  pageState: string;
  assigneeName: string | null;
  assigneeSlackId: string | null;
  pagedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedVia: string | null;
  assignedVia: string | null;
  priority: string | null;
  pendingAction: string | null;
  /** The level shown: Escalate carries it, so two clicks on one message escalate once. */
  escalationLevel?: number;
}

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const SEVERITY_EMOJI: Record<string, string> = {
  critical: ':red_circle:',
  error: ':large_orange_circle:',
  warning: ':large_yellow_circle:',
  info: ':large_blue_circle:',
};

export function pagedLine(view: IncidentView): string {
  if (view.assigneeName) {
    const mention = view.assigneeSlackId ? ` (<@${view.assigneeSlackId}>)` : '';
    const who = `*${escapeMrkdwn(view.assigneeName)}*${mention}`;
    if (view.assignedVia === 'escalated') return `Escalated to ${who}`;
    if (view.assignedVia === 'reassigned') return `Reassigned to ${who}`;
    return `Paged ${who} through PagerDuty`;
  }
  if (view.pageState === 'sent') return 'Paged the on-call person through PagerDuty Events';
  return 'Paging through PagerDuty…';
}

/** "Acknowledged by Jane Doe from the PagerDuty app at 03:12 — 4 min after the page". */
export function acknowledgedLine(view: IncidentView, timeZone: string): string | null {
  if (!view.acknowledgedAt || view.status !== 'acknowledged') return null;
  const at = format(new TZDate(view.acknowledgedAt, timeZone), 'HH:mm');
  const by = escapeMrkdwn(view.acknowledgedBy ?? 'someone');
  const via = view.acknowledgedVia ? ` from ${escapeMrkdwn(view.acknowledgedVia)}` : '';
  const after = view.pagedAt
    ? ` — ${Math.max(0, Math.round((view.acknowledgedAt.getTime() - view.pagedAt.getTime()) / 60_000))} min after the page`
    : '';
  return `Acknowledged by *${by}*${via} at ${at}${after}`;
}

export function renderIncidentMessage(view: IncidentView, timeZone: string): SlackMessage {
  const badge = view.status === 'resolved' ? ':white_check_mark: RESOLVED' : view.status.toUpperCase();
  const emoji = SEVERITY_EMOJI[view.severity] ?? ':red_circle:';
  const heading = `${emoji} *${escapeMrkdwn(view.featureName)}*: ${escapeMrkdwn(view.title)}`;
  const alerts = view.alertCount === 1 ? '1 alert' : `${view.alertCount} alerts (${view.firingCount} firing)`;
  const links = [
    view.pdIncidentUrl ? slackLink(view.pdIncidentUrl, 'PagerDuty incident') : null,
    view.sourceUrl ? slackLink(view.sourceUrl, 'Alert source') : null,
  ].filter(Boolean);
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${badge}` },
        { type: 'mrkdwn', text: `*Severity*\n${escapeMrkdwn(view.severity)}` },
        { type: 'mrkdwn', text: `*Feature*\n\`${escapeMrkdwn(view.featureKey)}\`` },
        { type: 'mrkdwn', text: `*Alerts*\n${alerts}` },
        { type: 'mrkdwn', text: `*First seen*\n${formatTime(view.openedAt, timeZone)}` },
        { type: 'mrkdwn', text: `*Incident*\n#${view.number}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: pagedLine(view) } },
  ];
  if (view.pendingAction) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:hourglass_flowing_sand: ${escapeMrkdwn(view.pendingAction)}` }],
    });
  }
  const acknowledged = acknowledgedLine(view, timeZone);
  if (acknowledged)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:eyes: ${acknowledged}` } });
  if (links.length)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join('  ·  ') }] });
  if (view.status !== 'resolved') {
    blocks.push({
      type: 'actions',
      block_id: `incident:${view.id}`,
      elements: [
        button('Acknowledge', 'incident_acknowledge', view.id, 'primary'),
        button('Resolve', 'incident_resolve', view.id),
        button('Escalate', 'incident_escalate', escalateValue(view), 'danger'),
      ],
    });
  }
  // The notification text is mrkdwn too: every part from outside is escaped, like the blocks.
  const who = view.assigneeName ? ` Paged ${escapeMrkdwn(view.assigneeName)}.` : '';
  const ack = acknowledged ? ` ${acknowledged.replace(/\*/g, '')}.` : '';
  const text = `[${escapeMrkdwn(view.severity)}] ${escapeMrkdwn(view.featureName)}: ${escapeMrkdwn(view.title)} (${alerts}, ${badge.toLowerCase()}).${who}${ack}`;
  return { text, blocks };
}

/** `<incident id>@<level seen>`; buttons.ts reads it back with `parseEscalateValue`. */
function escalateValue(view: IncidentView): string {
  return view.escalationLevel === undefined ? view.id : `${view.id}@${view.escalationLevel}`;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}
