// Slack's mrkdwn as HTML, the way Slack's clients show it: the console would otherwise print
// `*bold*`, `<@U0JANE>` and `:red_circle:` raw. Everything is HTML-escaped before any markup is
// added, and links are made only from http(s) URLs, so a message can never inject markup here.
import { safeHttpUrl } from '../kernel/slack-text.ts';
import { replaceEmoji } from './emoji.ts';
import { esc } from './html.ts';

/** The fake Slack's names for the ids a message mentions. */
export interface SlackNames {
  person(id: string): string;
  channel(id: string): string;
}

// Private-use characters mark where rendered pieces go back in; input cannot contain them.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const SLOT = /\uE000(\d+)\uE001/g;

/** mrkdwn's own three escapes undone, as Slack's clients do before showing text. */
const unescapeMrkdwn = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function special(target: string, label: string | undefined): string {
  const [command = ''] = target.slice(1).split('^');
  if (command === 'here' || command === 'channel' || command === 'everyone') {
    return `<span class="bk-mention">@${command}</span>`;
  }
  // <!subteam^S…|@admins>, <!date^…|fallback>: Slack shows the label it was given.
  return `<span class="bk-mention">${esc(unescapeMrkdwn(label ?? target))}</span>`;
}

/** One `<…>` token: a mention, a channel, a special mention or a link. */
function token(inner: string, names: SlackNames): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return `<span class="bk-mention">@${esc(names.person(target.slice(1)))}</span>`;
  if (target.startsWith('#')) {
    const name = label || names.channel(target.slice(1));
    return `<span class="bk-mention">#${esc(unescapeMrkdwn(name))}</span>`;
  }
  if (target.startsWith('!')) return special(target, label);
  const url = unescapeMrkdwn(target);
  const text = esc(label === undefined ? url : unescapeMrkdwn(label));
  const safe = safeHttpUrl(url);
  return safe ? `<a href="${esc(safe)}" rel="noopener noreferrer" target="_blank">${text}</a>` : text;
}

/** `*bold*`, `_italics_`, `~strike~`: only at word edges, as Slack does (snake_case stays). */
function emphasis(s: string): string {
  const wrap = (mark: string) =>
    new RegExp(`(^|[^\\w${mark}])\\${mark}(?!\\s)([^${mark}\\n]+?)(?<!\\s)\\${mark}(?!\\w)`, 'g');
  return s
    .replace(wrap('*'), '$1<b>$2</b>')
    .replace(wrap('_'), '$1<i>$2</i>')
    .replace(wrap('~'), '$1<s>$2</s>');
}

type Line = { kind: 'quote' | 'list' | 'text'; html: string };

function classify(line: string): Line {
  const quote = /^&gt; ?(.*)$/.exec(line);
  if (quote) return { kind: 'quote', html: quote[1] ?? '' };
  const item = /^\s*• ?(.*)$/.exec(line);
  if (item) return { kind: 'list', html: item[1] ?? '' };
  return { kind: 'text', html: line };
}

/** Lines starting `> ` become quotes and `• ` list items; the rest are joined with <br>. */
function lines(s: string): string {
  const runs: Line[][] = [];
  for (const line of s.split('\n').map(classify)) {
    const last = runs.at(-1);
    if (last?.[0]?.kind === line.kind) last.push(line);
    else runs.push([line]);
  }
  return runs
    .map((run) => {
      const items = run.map((l) => l.html);
      if (run[0]?.kind === 'quote') return `<blockquote>${items.join('<br>')}</blockquote>`;
      if (run[0]?.kind === 'list') return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
      return items.join('<br>');
    })
    .join('');
}

export function mrkdwnToHtml(text: string, names: SlackNames): string {
  const slots: string[] = [];
  const keep = (html: string) => `${OPEN}${slots.push(html) - 1}${CLOSE}`;
  let s = text.replace(/[\uE000\uE001]/g, '\uFFFD');
  s = s.replace(/<([^<>\n]*)>/g, (_, inner: string) => keep(token(inner, names)));
  s = esc(unescapeMrkdwn(s));
  s = s.replace(/```\n?([\s\S]*?)```/g, (_, inner: string) => keep(`<pre class="bk-pre">${inner}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, inner: string) => keep(`<code>${inner}</code>`));
  s = lines(emphasis(replaceEmoji(s)));
  // A code block may hold a link's slot: two passes put every piece back.
  for (let pass = 0; pass < 3 && s.includes(OPEN); pass++) {
    s = s.replace(SLOT, (_, i: string) => slots[Number(i)] ?? '');
  }
  return s;
}
