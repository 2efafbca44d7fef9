// The rich_text block a person's Slack client sends with each message (the fake adds one to
// what people say in the console). Its text elements are literal text, not mrkdwn, so they are
// only escaped; mentions, links and emoji are elements of their own.
import { z } from 'zod';
import { safeHttpUrl } from '../kernel/slack-text.ts';
import { emojiFor } from './emoji.ts';
import { esc } from './html.ts';
import type { SlackNames } from './mrkdwn.ts';

const Style = z
  .object({ bold: z.boolean(), italic: z.boolean(), strike: z.boolean(), code: z.boolean() })
  .partial();
const Inline = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string(), style: Style.optional() }),
  z.object({ type: z.literal('user'), user_id: z.string() }),
  z.object({ type: z.literal('channel'), channel_id: z.string() }),
  z.object({ type: z.literal('link'), url: z.string(), text: z.string().optional() }),
  z.object({ type: z.literal('emoji'), name: z.string() }),
  z.object({ type: z.literal('broadcast'), range: z.string() }),
]);
const Part = z.object({ type: z.string(), elements: z.array(z.unknown()) });
export const RichText = z.object({ type: z.literal('rich_text'), elements: z.array(Part) });

function styled(text: string, style: z.infer<typeof Style> | undefined): string {
  let html = esc(text).replace(/\n/g, '<br>');
  if (style?.code) html = `<code>${html}</code>`;
  if (style?.bold) html = `<b>${html}</b>`;
  if (style?.italic) html = `<i>${html}</i>`;
  if (style?.strike) html = `<s>${html}</s>`;
  return html;
}

function inline(raw: unknown, names: SlackNames): string {
  const parsed = Inline.safeParse(raw);
  if (!parsed.success) return '';
  const e = parsed.data;
  switch (e.type) {
    case 'text':
      return styled(e.text, e.style);
    case 'user':
      return `<span class="bk-mention">@${esc(names.person(e.user_id))}</span>`;
    case 'channel':
      return `<span class="bk-mention">#${esc(names.channel(e.channel_id))}</span>`;
    case 'broadcast':
      return `<span class="bk-mention">@${esc(e.range)}</span>`;
    case 'emoji':
      return esc(emojiFor(e.name) ?? `:${e.name}:`);
    case 'link': {
      const url = safeHttpUrl(e.url);
      const label = esc(e.text ?? e.url);
      return url ? `<a href="${esc(url)}" rel="noopener noreferrer" target="_blank">${label}</a>` : label;
    }
  }
}

const inlines = (elements: unknown[], names: SlackNames) => elements.map((e) => inline(e, names)).join('');

function part(p: z.infer<typeof Part>, names: SlackNames): string {
  if (p.type === 'rich_text_preformatted') return `<pre class="bk-pre">${inlines(p.elements, names)}</pre>`;
  if (p.type === 'rich_text_quote') return `<blockquote>${inlines(p.elements, names)}</blockquote>`;
  if (p.type === 'rich_text_list') {
    const items = p.elements
      .map((i) => Part.safeParse(i))
      .map((i) => (i.success ? inlines(i.data.elements, names) : ''));
    return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
  }
  return inlines(p.elements, names);
}

export function richTextHtml(block: z.infer<typeof RichText>, names: SlackNames): string {
  return `<div class="bk-text">${block.elements.map((p) => part(p, names)).join('')}</div>`;
}
