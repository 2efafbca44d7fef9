// A plain, server-rendered page: what the simulated Slack and PagerDuty received, with the
// console's sections (page-kill.ts) above them.
import type { FakeIncident } from './fakes/pagerduty-incidents.ts';
import type { FakeMessage } from './fakes/slack-state.ts';

export const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function blockText(message: FakeMessage): string {
  const parts: string[] = [];
  for (const block of (message.blocks ?? []) as { text?: { text?: string }; fields?: { text: string }[] }[]) {
    if (block.text?.text) parts.push(block.text.text);
    for (const f of block.fields ?? []) parts.push(f.text.replace('\n', ': '));
  }
  return parts.length ? parts.join('\n') : message.text;
}

/** Buttons that play the paged person tapping in the PagerDuty mobile app. */
function actions(incident: FakeIncident): string {
  if (incident.status === 'resolved') return '';
  const form = (action: string, label: string) =>
    `<form method="post" action="/sandbox/pagerduty/${encodeURIComponent(incident.id)}/${action}" style="display:inline">` +
    `<button type="submit">${label}</button></form>`;
  const ack = incident.status === 'triggered' ? form('acknowledge', 'Acknowledge in the PagerDuty app') : '';
  return `<div>${ack} ${form('resolve', 'Resolve in the PagerDuty app')}</div>`;
}

// Reloads every 5 s, except while someone is typing into one of the page's forms.
const REFRESH = `<script>let typed=false;document.addEventListener('input',()=>{typed=true});
setInterval(()=>{if(!typed&&!document.activeElement?.closest('form'))location.reload()},5000)</script>`;

export function renderSandboxPage(input: {
  messages: FakeMessage[];
  incidents: FakeIncident[];
  /** Channel id → name, e.g. C0STAKE → stake. */
  channelNames?: ReadonlyMap<string, string>;
  /** Already-escaped HTML sections (the console's), shown above the incidents. */
  sections?: string[];
}): string {
  const messages = [...input.messages].sort((a, b) => b.ts.localeCompare(a.ts));
  const incidents = [...input.incidents].reverse();
  const rows = messages
    .map(
      (m) =>
        `<li data-channel="${esc(m.channel)}"><b>#${esc(input.channelNames?.get(m.channel) ?? m.channel)}</b> <small>${esc(m.channel)} · ${esc(m.ts)}${m.edits.length ? ` · edited ${m.edits.length}×` : ''}</small><pre>${esc(blockText(m))}</pre></li>`,
    )
    .join('');
  const pages = incidents
    .map(
      (i) =>
        `<li><b>#${i.incident_number}</b> ${esc(i.title)} — <i>${esc(i.status)}</i>, assigned to ${esc(
          i.assignments.map((a) => a.assignee.summary ?? a.assignee.id).join(', ') || 'nobody',
        )} <small>(${esc(i.urgency)} urgency, ${esc(i.created_at)})</small>${actions(i)}</li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${REFRESH}
<title>Failsafe sandbox</title>
<style>body{font:15px/1.4 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}li{margin:.5rem 0}
.notice{color:#a00}.modal{border:1px solid #ccc;padding:.5rem;list-style:none}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}</style></head><body>
<h1>Failsafe sandbox</h1><p>Simulated Slack, PagerDuty and Unleash. This page refreshes every 5 seconds
(not while you type).</p>
${(input.sections ?? []).join('\n')}
<h2>PagerDuty incidents (${incidents.length})</h2><ul>${pages || '<li>None yet.</li>'}</ul>
<h2>Slack messages (${messages.length})</h2><ul>${rows || '<li>None yet.</li>'}</ul>
</body></html>`;
}
