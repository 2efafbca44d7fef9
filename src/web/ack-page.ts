// The phone page behind the one-tap ack link. Read at 3 a.m. on a small screen, often on a
// poor connection: one request, no scripts, no external assets, large buttons, plain forms.
// Everything here is text the caller formatted; this file only lays it out and escapes it.
import { createHash } from 'node:crypto';

export interface AckIncidentView {
  number: number;
  featureName: string;
  title: string;
  severity: string;
  status: string;
  /** Already formatted in the feature's time zone. */
  openedAt: string;
  assigneeName: string | null;
  /** Who acknowledged, how and when, e.g. "Jane Doe from Slack at 03:12"; null while nobody has. */
  acknowledgedBy: string | null;
}

export interface AckFormView {
  /** Relative to the page's own URL, so a path prefix in front of Failsafe keeps working. */
  action: string;
  csrf: string;
  /** Whose name the buttons act in. */
  person: string;
}

export type Tone = 'ok' | 'warn' | 'error';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:34rem;margin:0 auto;padding:16px}
h1{font-size:1.3rem;line-height:1.3;margin:.25rem 0 1rem;overflow-wrap:anywhere}
.feature{margin:0;color:#4a5360;font-size:.95rem;overflow-wrap:anywhere}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem .9rem;margin:0}
dt{color:#4a5360}dd{margin:0;overflow-wrap:anywhere;font-weight:600}
.sev-critical{color:#b3261e}.sev-error{color:#b35c00}.sev-warning{color:#7a6400}.sev-info{color:#1f5fae}
.note{border-radius:10px;padding:12px 14px;margin:0 0 14px;font-weight:600;overflow-wrap:anywhere}
.ok{background:#e3f5e7;color:#0f5323}.warn{background:#fff4d6;color:#5c4300}.error{background:#fde7e6;color:#8c1d18}
form{margin:16px 0 0;display:grid;gap:12px}
button{font:inherit;font-weight:700;min-height:56px;border:0;border-radius:12px;padding:12px;width:100%;cursor:pointer}
.ack{background:#1a7f37;color:#fff}.resolve{background:#fff;color:#1b1f24;border:2px solid #8a929c}
.as{margin:0;color:#4a5360;font-size:.9rem;overflow-wrap:anywhere}
p{overflow-wrap:anywhere}
.back{display:block;padding:14px 0;font-weight:700;color:#1f5fae}
`;

/** The page's Content-Security-Policy allows exactly this stylesheet and nothing else. */
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const ACK_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  // The token is in the URL: never let it travel in a Referer or sit in a shared cache.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
};

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

function note(tone: Tone, text: string): string {
  return `<p class="note ${tone}" role="status">${escapeHtml(text)}</p>`;
}

function details(incident: AckIncidentView): string {
  const rows: [string, string, string?][] = [
    ['Severity', incident.severity, `sev-${incident.severity}`],
    ['Status', incident.status],
    ['Opened', incident.openedAt],
    ['Paged', incident.assigneeName ?? 'the on-call person'],
  ];
  if (incident.acknowledgedBy) rows.push(['Acked by', incident.acknowledgedBy]);
  const dl = rows
    .map(([k, v, cls]) => `<dt>${k}</dt><dd${cls ? ` class="${escapeHtml(cls)}"` : ''}>${escapeHtml(v)}</dd>`)
    .join('');
  return `<p class="feature">${escapeHtml(incident.featureName)} · incident #${incident.number}</p>
<h1>${escapeHtml(incident.title)}</h1>
<dl>${dl}</dl>`;
}

function actions(incident: AckIncidentView, form: AckFormView): string {
  // The buttons name the person the link was sent to: a forwarded link says whose it is.
  const as = escapeHtml(form.person);
  const ack =
    incident.status === 'triggered'
      ? `<button class="ack" type="submit" name="action" value="acknowledge">Acknowledge as ${as}</button>`
      : '';
  return `<form method="post" action="${escapeHtml(form.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
${ack}<button class="resolve" type="submit" name="action" value="resolve">Resolve as ${as}</button>
<p class="as">Sent to ${as}; acts in PagerDuty as ${as}.</p>
</form>`;
}

/** The incident with its buttons; `notice` is the outcome of the last tap, when there was one. */
export function renderAckPage(
  incident: AckIncidentView,
  form: AckFormView,
  notice?: { tone: Tone; text: string },
): string {
  const title = `#${incident.number} ${incident.title}`;
  const top = notice ? note(notice.tone, notice.text) : '';
  return layout(
    title,
    `${top}<section class="card">${details(incident)}${actions(incident, form)}</section>`,
  );
}

/** A page with no buttons: the result of the last tap, or why the link cannot be used. */
export function renderAckMessage(input: {
  tone: Tone;
  heading: string;
  text: string;
  incident?: AckIncidentView | undefined;
  /** A relative link back to the incident page, to try again. */
  back?: string | undefined;
}): string {
  const card = input.incident ? `<section class="card">${details(input.incident)}</section>` : '';
  const back = input.back
    ? `<p><a class="back" href="${escapeHtml(input.back)}">Back to the incident</a></p>`
    : '';
  return layout(
    input.heading,
    `<h1>${escapeHtml(input.heading)}</h1>${note(input.tone, input.text)}${card}${back}`,
  );
}
