// Block Kit as HTML, close to how Slack lays a message out: sections (text and a two-column grid
// of fields), context lines, dividers, headers and action buttons. Blocks arrive as the app sent
// them (unknown), so each is parsed; one the console cannot draw is named, not dropped silently.
import { z } from 'zod';
import { replaceEmoji } from './emoji.ts';
import { esc } from './html.ts';
import { mrkdwnToHtml, type SlackNames } from './mrkdwn.ts';
import { RichText, richTextHtml } from './rich-text.ts';

const TextObject = z.object({ type: z.enum(['mrkdwn', 'plain_text']), text: z.string() });
const Image = z.object({ type: z.literal('image'), alt_text: z.string() });
const Button = z.object({
  type: z.literal('button'),
  text: TextObject,
  action_id: z.string(),
  value: z.string().optional(),
  url: z.string().optional(),
  style: z.enum(['primary', 'danger']).optional(),
});
export type BlockButton = z.infer<typeof Button>;

const Block = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('section'),
    text: TextObject.optional(),
    fields: z.array(TextObject).optional(),
  }),
  z.object({ type: z.literal('context'), elements: z.array(z.union([TextObject, Image])) }),
  z.object({ type: z.literal('divider') }),
  z.object({ type: z.literal('header'), text: TextObject }),
  z.object({ type: z.literal('actions'), block_id: z.string().optional(), elements: z.array(z.unknown()) }),
  RichText,
]);

/** Where a button sits in its message: what a click sends back to the app. */
export interface ButtonPlace {
  blockIndex: number;
  elementIndex: number;
  button: BlockButton;
}

export interface BlockKitContext {
  names: SlackNames;
  /** The HTML for a button; by default one that does nothing. */
  button?: (place: ButtonPlace) => string;
}

function textHtml(text: z.infer<typeof TextObject>, names: SlackNames): string {
  return text.type === 'mrkdwn' ? mrkdwnToHtml(text.text, names) : esc(replaceEmoji(text.text));
}

const inertButton = ({ button }: ButtonPlace) =>
  `<button type="button" class="bk-button${button.style ? ` bk-${button.style}` : ''}" disabled>${esc(
    replaceEmoji(button.text.text),
  )}</button>`;

function actions(elements: unknown[], blockIndex: number, ctx: BlockKitContext): string {
  const draw = ctx.button ?? inertButton;
  const items = elements.map((element, elementIndex) => {
    const button = Button.safeParse(element);
    if (!button.success) return `<span class="bk-unknown">[${esc(kind(element))} element]</span>`;
    return draw({ blockIndex, elementIndex, button: button.data });
  });
  return `<div class="bk-actions">${items.join('')}</div>`;
}

function kind(value: unknown): string {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
}

function block(raw: unknown, index: number, ctx: BlockKitContext): string {
  const parsed = Block.safeParse(raw);
  if (!parsed.success) return `<div class="bk-unknown">[${esc(kind(raw))} block]</div>`;
  const b = parsed.data;
  const { names } = ctx;
  switch (b.type) {
    case 'section': {
      const text = b.text ? `<div class="bk-text">${textHtml(b.text, names)}</div>` : '';
      const fields = b.fields?.length
        ? `<div class="bk-fields">${b.fields.map((f) => `<div>${textHtml(f, names)}</div>`).join('')}</div>`
        : '';
      return `<div class="bk-section">${text}${fields}</div>`;
    }
    case 'context': {
      const parts = b.elements.map((e) => (e.type === 'image' ? esc(e.alt_text) : textHtml(e, names)));
      return `<div class="bk-context">${parts.map((p) => `<span>${p}</span>`).join(' ')}</div>`;
    }
    case 'divider':
      return '<hr class="bk-divider">';
    case 'header':
      return `<div class="bk-header">${esc(replaceEmoji(b.text.text))}</div>`;
    case 'actions':
      return actions(b.elements, index, ctx);
    case 'rich_text':
      return richTextHtml(b, names);
  }
}

/** A message as Slack shows it: its blocks, or its mrkdwn text when it has none. */
export function messageHtml(message: { text: string; blocks?: unknown[] }, ctx: BlockKitContext): string {
  if (!message.blocks?.length) return `<div class="bk-text">${mrkdwnToHtml(message.text, ctx.names)}</div>`;
  return message.blocks.map((b, i) => block(b, i, ctx)).join('');
}
