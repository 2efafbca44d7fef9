// Turning Slack's mrkdwn (what the timeline stores) into Markdown that reads well in a file
// and keeps a table intact. Pure.
import { escapeMarkdown } from '../../kernel/markdown-text.ts';
import { safeHttpUrl } from '../../kernel/slack-text.ts';

/**
 * Slack's mrkdwn (or plain text from an alert) as Markdown that can carry nothing live: Slack's
 * *bold* becomes **bold**, an http(s) link becomes its label and its URL in plain sight, a
 * channel or broadcast becomes its name, and everything else — raw HTML, Markdown links and images typed by someone, entities
 * that decode to `<` — is escaped. User mentions stay for the namer, which turns them into roles.
 */
export function fromMrkdwn(text: string): string {
  const styled = text
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1**$2**')
    .replace(/:([a-z0-9_+-]+):\s*/g, (m, name: string) => (EMOJI[name] !== undefined ? EMOJI[name] : m));
  let out = '';
  let last = 0;
  for (const match of styled.matchAll(/<([^<>\n]*)>/g)) {
    out += plain(styled.slice(last, match.index)) + token(match[1] ?? '');
    last = match.index + match[0].length;
  }
  return out + plain(styled.slice(last));
}

/** Text between Slack's tokens: Slack's three entities decoded, then escaped for Markdown. */
function plain(text: string): string {
  return escapeMarkdown(decode(text));
}

function token(inner: string): string {
  const bar = inner.indexOf('|');
  const [target, label] = bar === -1 ? [inner, null] : [inner.slice(0, bar), inner.slice(bar + 1)];
  if (/^https?:\/\//i.test(target)) {
    // The URL is shown, never hidden behind a label someone chose: no disguised link in the file.
    const safe = safeHttpUrl(decode(target));
    if (!safe) return escapeMarkdown(decode(inner));
    return label === null || decode(label) === decode(target)
      ? safe
      : `${escapeMarkdown(decode(label))} (${safe})`;
  }
  if (/^@[UW][A-Z0-9]+$/.test(target)) return `<${target}>`;
  if (/^#C[A-Z0-9]+$/.test(target)) return `#${escapeMarkdown(decode(label ?? target.slice(1)))}`;
  const broadcast = /^!(here|channel|everyone)$/.exec(target);
  if (broadcast) return `@${broadcast[1]}`;
  if (target.startsWith('!subteam^')) return escapeMarkdown(decode(label ?? '@group'));
  return escapeMarkdown(`<${decode(inner)}>`);
}

const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Status emoji Failsafe itself puts in front of its lines; dropped in the file. */
const EMOJI: Record<string, string> = {
  octagonal_sign: '',
  white_check_mark: '',
  warning: '',
  arrow_up_small: '',
  hourglass_flowing_sand: '',
  x: '',
  rotating_light: '',
  large_yellow_circle: '',
  alarm_clock: '',
  memo: '',
};

/** Safe inside a Markdown table cell: no pipes breaking columns, no raw newlines. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n+/g, ' ⏎ ')
    .trim();
}

/** Long quotes are cut at a word boundary; the full text is in the channel. */
export function shorten(text: string, max = 400): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()} …`;
}

export const heading = (title: string) => `## ${title}`;

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
