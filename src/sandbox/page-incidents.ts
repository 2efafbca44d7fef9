// The incident channels (`inc-…`) the app opened in the simulated Slack: who is in them, what
// was said (📌 on pinned messages), a button to react 📌 to a person's message (which puts it
// on the incident timeline), and a box to say something there.
import { incidentChannels, personName } from './channels.ts';
import { emojiFor } from './emoji.ts';
import type { FakeSlack } from './fakes/slack.ts';
import type { FakeMessage } from './fakes/slack-state.ts';
import { esc } from './html.ts';
import { personOptions } from './page-kill.ts';
import { slackMessageHtml } from './page-messages.ts';

function reactions(slack: FakeSlack, message: FakeMessage): string {
  const list = (message.reactions ?? []).map((r) => {
    const who = r.users.map((u) => personName(slack, u)).join(', ');
    return `${emojiFor(r.name) ?? `:${r.name}:`} ${who}`;
  });
  return list.length ? ` <span class="reactions">reacted: ${esc(list.join(' · '))}</span>` : '';
}

function pinButton(channel: string, message: FakeMessage, userId: string): string {
  // Only what people said: the app's own posts are not captured onto the timeline.
  if (message.bot_id) return '';
  return `<form method="post" action="/sandbox/channel/${encodeURIComponent(channel)}/pin" style="display:inline">
<input type="hidden" name="user" value="${esc(userId)}"><input type="hidden" name="ts" value="${esc(message.ts)}">
<button type="submit">📌 pin to timeline</button></form>`;
}

function messageItem(slack: FakeSlack, channel: string, message: FakeMessage, userId: string): string {
  const pinned = slack.state.pins.get(channel)?.has(message.ts) ? '📌 <i>pinned</i> ' : '';
  const author = message.bot_id ? 'Failsafe (app)' : personName(slack, message.user);
  const thread = message.thread_ts && message.thread_ts !== message.ts ? ' · in a thread' : '';
  return `<li data-ts="${esc(message.ts)}">${pinned}<b>${esc(author)}</b> <small>${esc(message.ts)}${thread}</small>${reactions(slack, message)}
${pinButton(channel, message, userId)}${slackMessageHtml(slack, message, userId)}</li>`;
}

function sayForm(slack: FakeSlack, channel: string, userId: string): string {
  return `<form method="post" action="/sandbox/channel/${encodeURIComponent(channel)}/say">
<label>Say in this channel as <select name="user">${personOptions(slack.state.users, userId)}</select></label>
<input name="text" size="50" required maxlength="4000" placeholder="Rolled back the prompt at 03:20">
<button type="submit">Say</button></form>`;
}

/** `userId`: the person the console acts as; the 📌 buttons react as them. */
export function renderIncidentChannels(slack: FakeSlack, userId: string): string {
  const channels = incidentChannels(slack);
  const sections = channels.map(({ id, name }) => {
    const members = [...(slack.state.members.get(id) ?? [])].map((m) => personName(slack, m));
    const messages = slack.state.messages.get(id) ?? [];
    const items = messages.map((m) => messageItem(slack, id, m, userId)).join('');
    return `<section class="channel" data-channel="${esc(id)}"><h3>#${esc(name)} <small>${esc(id)}</small></h3>
<p>Members: <span class="members">${esc(members.join(', ') || 'nobody')}</span></p>
<ul>${items || '<li>No messages yet.</li>'}</ul>${sayForm(slack, id, userId)}</section>`;
  });
  const who = esc(personName(slack, userId));
  return `<h2>Incident channels (${channels.length})</h2>
<p>Channels the app opened for incidents. 📌 buttons react as ${who} (pick someone else in the command form).
Type <code>/ai-incident status</code> or <code>/ai-update</code> in one by picking it above.</p>
${sections.join('\n') || '<p>None yet: declare one with <code>/ai-incident ai-support-bot sev1 Refund answers invent policies</code>.</p>'}`;
}
