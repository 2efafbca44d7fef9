// The simulated Slack's messages drawn as Slack draws them (block-kit.ts), each button a form
// that clicks it as the person the console acts as (action-routes.ts), and the PagerDuty
// incidents with the "phone" buttons. Both lists are the live part of /sandbox: the page
// fetches them again whenever /sandbox/events says the fakes changed.
import { safeHttpUrl } from '../kernel/slack-text.ts';
import { type ButtonPlace, messageHtml } from './block-kit.ts';
import { personName } from './channels.ts';
import { replaceEmoji } from './emoji.ts';
import type { FakeIncident } from './fakes/pagerduty-incidents.ts';
import type { FakeSlack } from './fakes/slack.ts';
import type { FakeMessage } from './fakes/slack-state.ts';
import { esc } from './html.ts';
import type { SlackNames } from './mrkdwn.ts';

export function slackNames(slack: FakeSlack): SlackNames {
  return {
    person: (id) => personName(slack, id),
    channel: (id) => slack.state.names.get(id) ?? id,
  };
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;

/** A button of `message`: a form that clicks it as `userId`; a link button opens its URL. */
function buttonForm(message: FakeMessage, userId: string, place: ButtonPlace): string {
  const { button } = place;
  const label = esc(replaceEmoji(button.text.text));
  const style = `bk-button${button.style ? ` bk-${button.style}` : ''}`;
  const url = safeHttpUrl(button.url);
  if (url)
    return `<a class="${style}" href="${esc(url)}" rel="noopener noreferrer" target="_blank">${label}</a>`;
  return `<form method="post" action="/sandbox/action" class="bk-click">${hidden('channel', message.channel)}${hidden(
    'ts',
    message.ts,
  )}${hidden('block', String(place.blockIndex))}${hidden('element', String(place.elementIndex))}${hidden(
    'user',
    userId,
  )}<button type="submit" class="${style}">${label}</button></form>`;
}

/** One message's body as Slack shows it; `userId` is who its buttons click as. */
export function slackMessageHtml(slack: FakeSlack, message: FakeMessage, userId: string): string {
  return `<div class="bk-message">${messageHtml(message, {
    names: slackNames(slack),
    button: (place) => buttonForm(message, userId, place),
  })}</div>`;
}

/** Buttons that play the paged person tapping in the PagerDuty mobile app. */
function phoneButtons(incident: FakeIncident): string {
  if (incident.status === 'resolved') return '';
  const form = (action: string, label: string) =>
    `<form method="post" action="/sandbox/pagerduty/${encodeURIComponent(incident.id)}/${action}" style="display:inline">` +
    `<button type="submit">${label}</button></form>`;
  const ack = incident.status === 'triggered' ? form('acknowledge', 'Acknowledge in the PagerDuty app') : '';
  return `<div>${ack} ${form('resolve', 'Resolve in the PagerDuty app')}</div>`;
}

function incidentItem(i: FakeIncident): string {
  const who = i.assignments.map((a) => a.assignee.summary ?? a.assignee.id).join(', ') || 'nobody';
  return `<li><b>#${i.incident_number}</b> ${esc(i.title)} — <i>${esc(i.status)}</i>, assigned to ${esc(who)} <small>(${esc(
    i.urgency,
  )} urgency, ${esc(i.created_at)})</small>${phoneButtons(i)}</li>`;
}

function messageItem(slack: FakeSlack, m: FakeMessage, userId: string): string {
  const channel = slack.state.names.get(m.channel) ?? m.channel;
  const edited = m.edits.length ? ` · edited ${m.edits.length}×` : '';
  return `<li class="slack-message" data-channel="${esc(m.channel)}" data-ts="${esc(m.ts)}"><b>#${esc(channel)}</b> <small>${esc(
    m.channel,
  )} · ${esc(m.ts)}${edited}</small>${slackMessageHtml(slack, m, userId)}</li>`;
}

/** The live part of /sandbox: PagerDuty's incidents and every Slack message, newest first. */
export function renderLive(slack: FakeSlack, incidents: FakeIncident[], userId: string): string {
  const messages = [...slack.state.messages.values()].flat().sort((a, b) => b.ts.localeCompare(a.ts));
  const pages = [...incidents].reverse().map(incidentItem).join('');
  const rows = messages.map((m) => messageItem(slack, m, userId)).join('');
  return `<h2>PagerDuty incidents (${incidents.length})</h2><ul>${pages || '<li>None yet.</li>'}</ul>
<h2>Slack messages (${messages.length})</h2><ul class="messages">${rows || '<li>None yet.</li>'}</ul>`;
}
