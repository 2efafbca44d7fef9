// Block Kit for the incident message in the feature's alerts channel. It is rendered from
// the database every time, so a post, a count refresh and a retry all show the same truth.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { SlackBlock } from '../../adapters/slack.ts';

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

export function formatTime(at: Date, timeZone: string): string {
  return format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm zzz');
}

export function pagedLine(view: IncidentView): string {
  if (view.assigneeName) {
    const mention = view.assigneeSlackId ? ` (<@${view.assigneeSlackId}>)` : '';
    return `Paged *${escapeMrkdwn(view.assigneeName)}*${mention} through PagerDuty`;
  }
  if (view.pageState === 'sent') return 'Paged the on-call person through PagerDuty Events';
  return 'Paging through PagerDuty…';
}

export function renderIncidentMessage(view: IncidentView, timeZone: string): SlackMessage {
  const badge = view.status === 'resolved' ? ':white_check_mark: RESOLVED' : view.status.toUpperCase();
  const emoji = SEVERITY_EMOJI[view.severity] ?? ':red_circle:';
  const heading = `${emoji} *${escapeMrkdwn(view.featureName)}*: ${escapeMrkdwn(view.title)}`;
  const alerts = view.alertCount === 1 ? '1 alert' : `${view.alertCount} alerts (${view.firingCount} firing)`;
  const links = [
    view.pdIncidentUrl ? `<${view.pdIncidentUrl}|PagerDuty incident>` : null,
    view.sourceUrl ? `<${view.sourceUrl}|Alert source>` : null,
  ].filter(Boolean);
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${badge}` },
        { type: 'mrkdwn', text: `*Severity*\n${view.severity}` },
        { type: 'mrkdwn', text: `*Feature*\n\`${view.featureKey}\`` },
        { type: 'mrkdwn', text: `*Alerts*\n${alerts}` },
        { type: 'mrkdwn', text: `*First seen*\n${formatTime(view.openedAt, timeZone)}` },
        { type: 'mrkdwn', text: `*Incident*\n#${view.number}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: pagedLine(view) } },
  ];
  if (links.length)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join('  ·  ') }] });
  if (view.status !== 'resolved') {
    blocks.push({
      type: 'actions',
      block_id: `incident:${view.id}`,
      elements: [
        button('Acknowledge', 'incident_acknowledge', view.id, 'primary'),
        button('Resolve', 'incident_resolve', view.id),
        button('Escalate', 'incident_escalate', view.id, 'danger'),
      ],
    });
  }
  const who = view.assigneeName ? ` Paged ${view.assigneeName}.` : '';
  const text = `[${view.severity}] ${view.featureName}: ${view.title} (${alerts}, ${badge.toLowerCase()}).${who}`;
  return { text, blocks };
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

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
