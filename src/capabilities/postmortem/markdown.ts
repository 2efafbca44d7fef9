// Turning Slack's mrkdwn (what the timeline stores) into Markdown that reads well in a file
// and keeps a table intact. Pure.

/** Links, channel references and entities from Slack's format; Slack's *bold* becomes **bold**. */
export function fromMrkdwn(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, '[$2]($1)')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '<$1>')
    .replace(/<#C[A-Z0-9]+\|([^>]+)>/g, '#$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1**$2**')
    .replace(/:([a-z0-9_+-]+):\s*/g, (m, name: string) => (EMOJI[name] !== undefined ? EMOJI[name] : m))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

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
